package io.sluice.produce;

/** Where one produced record was written. */
public record RecordOffset(int partition, long offset) {}
