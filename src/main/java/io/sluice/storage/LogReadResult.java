package io.sluice.storage;

import io.sluice.record.InvalidRecordException;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.List;

/** Whole batches read from a partition log, with the log's bounds at the time of the read. */
public record LogReadResult(long highWatermark, long logStartOffset, FileSlice records) {

    /**
     * The batches of the slice, each checked against its CRC, for readers that decode records. Bytes that rotted on
     * disk after they were written are never handed out as records: the read fails with a
     * {@link CorruptLogException} naming the batch, so the damage is reported instead of served or skipped.
     */
    public List<RecordBatch> verifiedBatches() {
        return verify(records.readFully());
    }

    /**
     * The slice's bytes in a new heap buffer (position 0, limit at the end), for readers that serve the batches as
     * they are: every batch was checked against its CRC first, with the same failure as {@link #verifiedBatches()}.
     * The check runs over the very bytes returned, so what passed it is what the caller sends.
     */
    public ByteBuffer verifiedBytes() {
        ByteBuffer bytes = records.readFully();
        verify(bytes.duplicate());
        return bytes;
    }

    private static List<RecordBatch> verify(ByteBuffer bytes) {
        List<RecordBatch> batches;
        try {
            batches = RecordBatches.split(bytes);
        } catch (InvalidRecordException e) {
            throw new CorruptLogException("log data is damaged: " + e.getMessage(), e);
        }
        for (RecordBatch batch : batches) {
            try {
                batch.ensureValid();
            } catch (InvalidRecordException e) {
                throw new CorruptLogException(
                        "batch at offset " + batch.baseOffset() + " is damaged on disk: " + e.getMessage(), e);
            }
        }
        return batches;
    }
}
