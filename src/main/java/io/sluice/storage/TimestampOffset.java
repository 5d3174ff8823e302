package io.sluice.storage;

/** A timestamp and the offset of the record carrying it (an answer to a lookup by time). */
public record TimestampOffset(long timestamp, long offset) {}
