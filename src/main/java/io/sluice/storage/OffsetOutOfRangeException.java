package io.sluice.storage;

/** A read asked for an offset below the log start offset or above the high watermark. */
public class OffsetOutOfRangeException extends StorageException {

    private final long offset;
    private final long logStartOffset;
    private final long highWatermark;

    public OffsetOutOfRangeException(long offset, long logStartOffset, long highWatermark) {
        super("offset " + offset + " is out of range [" + logStartOffset + ", " + highWatermark + "]");
        this.offset = offset;
        this.logStartOffset = logStartOffset;
        this.highWatermark = highWatermark;
    }

    public long offset() {
        return offset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }
}
