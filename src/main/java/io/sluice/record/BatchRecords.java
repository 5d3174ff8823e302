package io.sluice.record;

import java.nio.ByteBuffer;

/**
 * The records of one batch, uncompressed once ({@link RecordBatch#uncompressed()}: the stored bytes themselves when
 * the batch is not compressed), to be walked any number of times with {@link #forEach}. Immutable once made; walks
 * from several threads at once are safe, each with its own {@link RecordView}.
 */
public final class BatchRecords {

    private final RecordBatch batch;
    private final ByteBuffer records;

    BatchRecords(RecordBatch batch, ByteBuffer records) {
        this.batch = batch;
        this.records = records;
    }

    public RecordBatch batch() {
        return batch;
    }

    /**
     * Moves {@code view} over every record until {@code visitor} says stop; malformed records throw
     * {@link InvalidRecordException} once the walk reaches them. Returns whether every record was walked.
     */
    public boolean forEach(RecordView view, RecordVisitor visitor) {
        return RecordDecoder.walk(batch, records.duplicate(), view, visitor);
    }
}
