package io.sluice.fetch;

/**
 * A read of one partition.
 *
 * @param offset first offset wanted; null = the log start offset
 * @param maxBytes soft limit on the bytes read (the first batch is always returned whole)
 * @param maxRecords most records returned
 * @param timeoutMs how long to wait for a record at or after {@code offset} (0 = answer at once)
 */
public record FetchRequest(String topic, int partition, Long offset, int maxBytes, int maxRecords, long timeoutMs) {}
