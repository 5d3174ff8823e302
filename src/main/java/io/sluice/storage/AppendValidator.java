package io.sluice.storage;

import io.sluice.record.InvalidRecordException;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchValidator;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Splits an append into batches and runs the record-level validation on each, translating record errors into
 * storage exceptions. Runs before the log's writer lock is taken, so validation of concurrent appends (CRC over
 * every byte) proceeds in parallel. Stateless.
 */
final class AppendValidator {

    private AppendValidator() {}

    static List<RecordBatch> validate(ByteBuffer records, LogConfig config) {
        List<RecordBatch> batches;
        try {
            batches = RecordBatches.split(records);
        } catch (InvalidRecordException e) {
            throw new InvalidBatchException(e.getMessage(), e);
        }
        if (batches.isEmpty()) {
            throw new InvalidBatchException("an append must hold at least one batch");
        }
        for (RecordBatch batch : batches) {
            if (batch.sizeInBytes() > config.segmentBytes()) {
                throw new RecordTooLargeException("batch of " + batch.sizeInBytes()
                        + " bytes is larger than segment.bytes " + config.segmentBytes());
            }
            try {
                RecordBatchValidator.validate(batch, config.maxMessageBytes());
            } catch (InvalidRecordException e) {
                if (e.reason() == InvalidRecordException.Reason.RECORD_TOO_LARGE) {
                    throw new RecordTooLargeException(e.getMessage());
                }
                throw new InvalidBatchException(e.getMessage(), e);
            }
        }
        return batches;
    }
}
