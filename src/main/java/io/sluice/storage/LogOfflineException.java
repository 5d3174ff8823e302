package io.sluice.storage;

/**
 * The partition log was taken offline after an I/O error or corruption; it refuses every operation until the
 * process restarts and recovery succeeds. Other partitions are unaffected.
 */
public class LogOfflineException extends StorageException {

    public LogOfflineException(String message) {
        super(message);
    }

    public LogOfflineException(String message, Throwable cause) {
        super(message, cause);
    }
}
