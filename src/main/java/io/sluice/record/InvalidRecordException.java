package io.sluice.record;

/** A batch or record that breaks the v2 format. {@link #reason()} says which rule, the message says where. */
public class InvalidRecordException extends RuntimeException {

    /** Which rule the input broke. */
    public enum Reason {
        CORRUPT_CRC,
        INVALID_MAGIC,
        INVALID_SIZE,
        TRUNCATED,
        INVALID_RECORD_COUNT,
        INVALID_OFFSET_DELTA,
        INVALID_RECORD,
        UNSUPPORTED_COMPRESSION,
        RECORD_TOO_LARGE
    }

    private final Reason reason;

    public InvalidRecordException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidRecordException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
