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
     * The slice's bytes in a buffer from {@code buffers} (owned by the caller from then on), for readers that serve
     * the batches as they are: the file range is read straight into it and every batch is checked against its CRC
     * over those very bytes, with the same failure as {@link #verifiedBatches()}, so what passed the check is what the
     * caller sends. On any failure the buffer is released here. An empty slice takes no buffer from {@code buffers}.
     */
    public ReadBuffer verifiedBytes(ReadBuffers buffers) {
        if (records.sizeInBytes() == 0) {
            return ReadBuffer.empty();
        }
        ReadBuffer buffer = buffers.allocate(records.sizeInBytes());
        try {
            records.readInto(buffer.bytes());
            verify(buffer.bytes());
            return buffer;
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
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
