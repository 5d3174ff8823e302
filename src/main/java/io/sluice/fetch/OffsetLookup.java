package io.sluice.fetch;

/**
 * A partition's bounds, and for a lookup by time the first offset whose timestamp is at or after it ({@code offset} =
 * end offset and {@code timestamp} = -1 when no record is that recent).
 */
public record OffsetLookup(long beginningOffset, long endOffset, long offset, long timestamp) {}
