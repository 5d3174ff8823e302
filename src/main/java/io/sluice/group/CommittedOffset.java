package io.sluice.group;

/**
 * A committed position: the offset of the next record the group will read, as in Kafka.
 *
 * @param offset next offset to read, {@code >= 0}
 * @param metadata free text the client attached, never null (empty if none)
 * @param commitTimestamp wall-clock millis of the commit
 */
public record CommittedOffset(long offset, String metadata, long commitTimestamp) {

    public CommittedOffset {
        if (offset < 0) {
            throw new IllegalArgumentException("committed offset must be >= 0: " + offset);
        }
        metadata = metadata == null ? "" : metadata;
    }
}
