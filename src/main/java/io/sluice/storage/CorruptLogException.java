package io.sluice.storage;

/**
 * Data that was already flushed (below the recovery point) failed its CRC or structure check. Never repaired
 * silently: the partition stays offline until an operator looks at it.
 */
public class CorruptLogException extends LogOfflineException {

    public CorruptLogException(String message) {
        super(message);
    }

    public CorruptLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
