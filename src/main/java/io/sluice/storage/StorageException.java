package io.sluice.storage;

/**
 * Base of every error the storage engine reports. Unchecked: callers (the services) translate them into
 * {@link io.sluice.common.SluiceException}s with a stable error code at their boundary.
 */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
