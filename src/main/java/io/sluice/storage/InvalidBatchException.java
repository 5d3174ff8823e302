package io.sluice.storage;

/**
 * An appended batch failed validation (size, magic, CRC, record count, offset deltas...). The cause, when
 * present, is the record-level exception that found the problem. Nothing of the append was written.
 */
public class InvalidBatchException extends StorageException {

    public InvalidBatchException(String message) {
        super(message);
    }

    public InvalidBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
