package io.sluice.record;

import java.nio.ByteBuffer;

/**
 * Kafka's variable-length integers: zig-zag encoded, 7 bits per byte, least significant group first, high bit set on
 * every byte but the last. An int takes at most 5 bytes and a long at most 10; longer input is malformed.
 */
public final class Varints {

    private Varints() {}

    public static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte(buffer);
            raw |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new InvalidRecordException(InvalidRecordException.Reason.INVALID_RECORD, "varint longer than 5 bytes");
    }

    public static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte(buffer);
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new InvalidRecordException(InvalidRecordException.Reason.INVALID_RECORD, "varlong longer than 10 bytes");
    }

    public static void writeVarint(int value, ByteBuffer buffer) {
        int raw = (value << 1) ^ (value >> 31);
        while ((raw & ~0x7f) != 0) {
            buffer.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    public static void writeVarlong(long value, ByteBuffer buffer) {
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & ~0x7fL) != 0) {
            buffer.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    public static int sizeOfVarint(int value) {
        int raw = (value << 1) ^ (value >> 31);
        // One byte per started group of 7 significant bits.
        return (38 - Integer.numberOfLeadingZeros(raw | 1)) / 7;
    }

    public static int sizeOfVarlong(long value) {
        long raw = (value << 1) ^ (value >> 63);
        return (70 - Long.numberOfLeadingZeros(raw | 1)) / 7;
    }

    private static byte readByte(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            throw new InvalidRecordException(InvalidRecordException.Reason.TRUNCATED, "varint runs past the end");
        }
        return buffer.get();
    }
}
