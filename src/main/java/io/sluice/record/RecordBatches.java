package io.sluice.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Splits a buffer holding zero or more whole batches laid end to end (a produce body, a fetch result). */
public final class RecordBatches {

    private RecordBatches() {}

    /**
     * The batches between the buffer's position and limit, as views sharing its content. Only the length fields are
     * checked here: a batch that is truncated, or declares a size smaller than a header, throws
     * {@link InvalidRecordException}.
     */
    public static List<RecordBatch> split(ByteBuffer buffer) {
        List<RecordBatch> batches = new ArrayList<>(1);
        int position = buffer.position();
        while (position < buffer.limit()) {
            int available = buffer.limit() - position;
            if (available < RecordBatch.LOG_OVERHEAD) {
                throw new InvalidRecordException(
                        InvalidRecordException.Reason.TRUNCATED,
                        available + " trailing bytes do not hold a batch header");
            }
            int size = RecordBatch.LOG_OVERHEAD + buffer.getInt(position + RecordBatch.LENGTH_OFFSET);
            if (size < RecordBatch.HEADER_SIZE) {
                throw new InvalidRecordException(
                        InvalidRecordException.Reason.INVALID_SIZE,
                        "batch at byte " + position + " declares " + size + " bytes, less than a header");
            }
            if (size > available) {
                throw new InvalidRecordException(
                        InvalidRecordException.Reason.TRUNCATED,
                        "batch at byte " + position + " declares " + size + " bytes but " + available + " remain");
            }
            batches.add(RecordBatch.wrap(buffer.slice(position, size)));
            position += size;
        }
        return batches;
    }
}
