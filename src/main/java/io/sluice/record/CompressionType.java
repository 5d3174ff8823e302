package io.sluice.record;

/**
 * The compression codec of a batch: bits 0-2 of the batch attributes, with Kafka's ids. Sluice decodes {@link #NONE}
 * and {@link #GZIP} (the JDK has both); the others are recognised so they can be refused by name.
 */
public enum CompressionType {
    NONE(0),
    GZIP(1),
    SNAPPY(2),
    LZ4(3),
    ZSTD(4);

    /** The attribute bits that hold the codec id. */
    static final int MASK = 0x07;

    private final int id;

    CompressionType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Whether this build of Sluice can compress and decompress with this codec. */
    public boolean isSupported() {
        return this == NONE || this == GZIP;
    }

    static CompressionType fromAttributes(short attributes) {
        int codec = attributes & MASK;
        for (CompressionType type : values()) {
            if (type.id == codec) {
                return type;
            }
        }
        throw new InvalidRecordException(
                InvalidRecordException.Reason.UNSUPPORTED_COMPRESSION, "unknown compression codec id " + codec);
    }
}
