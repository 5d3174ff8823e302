package io.sluice.storage;

/**
 * What a {@link PartitionLog} tells whoever manages it. Both are called on the thread that caused them and must not
 * block: {@link #highWatermarkMoved} outside the log's lock, {@link #flushCheckWanted} possibly inside it.
 */
interface LogEvents {

    /** A standalone log's: tells no one. */
    LogEvents NONE = new LogEvents() {
        @Override
        public void highWatermarkMoved(PartitionLog log) {}

        @Override
        public void flushCheckWanted(PartitionLog log) {}
    };

    /** The log's high watermark moved (an append was published). */
    void highWatermarkMoved(PartitionLog log);

    /**
     * The log has flush work for the next periodic check ({@link PartitionLog#flushIfDue}): a segment rolled, a
     * flush left the recovery-point checkpoint behind, a truncation cut the recovery point back, or its config changed.
     */
    void flushCheckWanted(PartitionLog log);
}
