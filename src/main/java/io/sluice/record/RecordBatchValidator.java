package io.sluice.record;

import static io.sluice.record.InvalidRecordException.Reason.INVALID_OFFSET_DELTA;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD_COUNT;
import static io.sluice.record.InvalidRecordException.Reason.RECORD_TOO_LARGE;
import static io.sluice.record.InvalidRecordException.Reason.UNSUPPORTED_COMPRESSION;

/**
 * The full check a batch passes before the log accepts it from a client: size bounds, magic, CRC, a supported codec,
 * no transactional or control flags (Sluice has no transactions), at least one record, the record count and offset
 * deltas matching the records present, consistent producer fields, and a max timestamp that matches the records.
 * It walks the records without materialising them. Stateless.
 */
public final class RecordBatchValidator {

    private RecordBatchValidator() {}

    public static void validate(RecordBatch batch, int maxBatchBytes) {
        batch.ensureValid();
        if (batch.sizeInBytes() > maxBatchBytes) {
            throw new InvalidRecordException(
                    RECORD_TOO_LARGE,
                    "batch of " + batch.sizeInBytes() + " bytes exceeds max.message.bytes " + maxBatchBytes);
        }
        if (!batch.compressionType().isSupported()) {
            throw new InvalidRecordException(
                    UNSUPPORTED_COMPRESSION,
                    "compression " + batch.compressionType() + " is not supported; use none or gzip");
        }
        if (batch.isTransactional() || batch.isControlBatch()) {
            throw new InvalidRecordException(INVALID_RECORD, "transactional and control batches are not supported");
        }
        int count = batch.recordCount();
        if (count < 1) {
            throw new InvalidRecordException(INVALID_RECORD_COUNT, "a batch must hold at least one record");
        }
        if (batch.lastOffsetDelta() != count - 1) {
            throw new InvalidRecordException(
                    INVALID_OFFSET_DELTA,
                    "last offset delta " + batch.lastOffsetDelta() + " does not match " + count + " records");
        }
        checkProducerFields(batch);
        long maxTimestamp = RecordDecoder.check(batch);
        if (batch.timestampType() == TimestampType.CREATE_TIME && batch.maxTimestamp() != maxTimestamp) {
            throw new InvalidRecordException(
                    INVALID_RECORD,
                    "max timestamp " + batch.maxTimestamp() + " does not match the records' " + maxTimestamp);
        }
    }

    private static void checkProducerFields(RecordBatch batch) {
        if (batch.producerId() < RecordBatch.NO_PRODUCER_ID) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid producer id " + batch.producerId());
        }
        if (batch.hasProducerId() && (batch.producerEpoch() < 0 || batch.baseSequence() < 0)) {
            throw new InvalidRecordException(
                    INVALID_RECORD, "an idempotent batch needs a producer epoch and base sequence >= 0");
        }
    }
}
