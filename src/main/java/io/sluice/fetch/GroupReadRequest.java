package io.sluice.fetch;

/**
 * A read for one consumer instance over all the partitions it owns.
 *
 * @param timeoutMs how long to wait for a record (0 = answer at once); capped by the service
 * @param maxBytes soft limit on the bytes returned, shared fairly by the partitions that have data
 * @param maxRecords most records returned, shared the same way
 */
public record GroupReadRequest(String group, String instanceId, long timeoutMs, int maxBytes, int maxRecords) {}
