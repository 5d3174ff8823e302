package io.sluice.storage;

/**
 * An idempotent producer sent a batch whose base sequence does not directly follow the last sequence written
 * for its producer id and epoch (a gap or a reordering), and it is not a retry of one of the recent batches.
 */
public class OutOfOrderSequenceException extends StorageException {

    public OutOfOrderSequenceException(String message) {
        super(message);
    }
}
