package io.sluice.topic;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.storage.CorruptLogException;
import io.sluice.storage.DiskFullException;
import io.sluice.storage.InvalidBatchException;
import io.sluice.storage.LogOfflineException;
import io.sluice.storage.OffsetOutOfRangeException;
import io.sluice.storage.OutOfOrderSequenceException;
import io.sluice.storage.ProducerFencedException;
import io.sluice.storage.RecordTooLargeException;
import io.sluice.storage.StorageException;

/**
 * The one translation of storage exceptions into {@link SluiceException}s with stable error codes, shared by every
 * service that calls the log.
 */
public final class StorageErrors {

    private StorageErrors() {}

    public static SluiceException translate(StorageException e, TopicPartition tp) {
        String where = " (" + tp + ")";
        if (e instanceof OffsetOutOfRangeException range) {
            return new SluiceException(
                    ErrorCode.OFFSET_OUT_OF_RANGE,
                    "offset " + range.offset() + " is out of range for partition " + tp.partition() + " of topic '"
                            + tp.topic() + "': valid offsets are " + range.logStartOffset() + " to "
                            + range.highWatermark() + " (" + range.highWatermark()
                            + " waits for the next record)",
                    e);
        }
        if (e instanceof RecordTooLargeException) {
            return new SluiceException(ErrorCode.RECORD_TOO_LARGE, e.getMessage() + where, e);
        }
        if (e instanceof InvalidBatchException) {
            return new SluiceException(ErrorCode.INVALID_RECORD, e.getMessage() + where, e);
        }
        if (e instanceof OutOfOrderSequenceException) {
            return new SluiceException(ErrorCode.OUT_OF_ORDER_SEQUENCE, e.getMessage() + where, e);
        }
        if (e instanceof ProducerFencedException) {
            return new SluiceException(ErrorCode.INVALID_PRODUCER_EPOCH, e.getMessage() + where, e);
        }
        if (e instanceof DiskFullException) {
            return new SluiceException(ErrorCode.INSUFFICIENT_STORAGE, e.getMessage() + where, e);
        }
        if (e instanceof LogOfflineException || e instanceof CorruptLogException) {
            return new SluiceException(ErrorCode.UNAVAILABLE, e.getMessage() + where, e);
        }
        return new SluiceException(ErrorCode.STORAGE_ERROR, e.getMessage() + where, e);
    }
}
