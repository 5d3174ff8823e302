package io.sluice.storage;

/**
 * A write failed because the device has no space left. The partition is taken offline like for any other I/O
 * error (a partial write may be on disk); this subtype lets the edge answer "insufficient storage".
 */
public class DiskFullException extends LogOfflineException {

    public DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
