package io.sluice.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One decoded record. {@code key} and {@code value} are read-only views of copies taken out of the batch (null when
 * absent; a null value is a tombstone).
 */
public record Record(long offset, long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {

    public Record {
        headers = List.copyOf(headers);
    }

    /** The key's bytes, or null. */
    public byte[] keyBytes() {
        return toArray(key);
    }

    /** The value's bytes, or null. */
    public byte[] valueBytes() {
        return toArray(value);
    }

    private static byte[] toArray(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
