package io.sluice.storage;

/** A batch is larger than the partition's {@code max.message.bytes}. Nothing of the append was written. */
public class RecordTooLargeException extends StorageException {

    public RecordTooLargeException(String message) {
        super(message);
    }
}
