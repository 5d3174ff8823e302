package io.sluice.api.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches over arrays that look at eight bytes per step (a {@code long} read little-endian), for the scans every
 * streamed NDJSON byte goes through (finding newlines, checking for bytes beyond ASCII) and for the checks and escapes
 * of JSON strings written from stored bytes. Stateless.
 *
 * <p>A zero byte of {@code x} is found with {@code (x - 0x01..01) & ~x & 0x80..80}: the lowest bit it sets marks the
 * lowest zero byte exactly (a borrow only runs upwards from a zero byte, so higher bits may be false, lower ones
 * never), which is all a forward search needs.
 */
final class ByteScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * ' ';

    private ByteScan() {}

    /** Index of the first {@code '\n'} in {@code data[from, to)}, or -1. */
    static int indexOfNewline(byte[] data, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(data, i) ^ NEWLINES;
            long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the first byte in {@code data[from, to)} that ends or interrupts plain JSON string text: a quote, a
     * backslash, a control character (below 0x20) or a byte beyond ASCII; -1 if none.
     */
    static int indexOfStringSpecial(byte[] data, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(data, i);
            long quote = x ^ QUOTES;
            long backslash = x ^ BACKSLASHES;
            // each term marks its lowest byte exactly, so the lowest mark of all of them is exact
            long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - SPACES) & ~x) | x;
            special &= HIGH_BITS;
            if (special != 0) {
                return i + (Long.numberOfTrailingZeros(special) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = data[i];
            if (b == '"' || b == '\\' || b < 0x20) { // a byte beyond ASCII is negative
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the first byte in {@code data[from, to)} beyond ASCII (0x80 and up) or, unless {@code allowNul}, zero;
     * -1 if none.
     */
    static int indexOfNonAscii(byte[] data, int from, int to, boolean allowNul) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(data, i);
            long special = (allowNul ? x : x | ((x - ONES) & ~x)) & HIGH_BITS;
            if (special != 0) {
                return i + (Long.numberOfTrailingZeros(special) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] < 0 || (data[i] == 0 && !allowNul)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code data[from, to)} holds only ASCII bytes (below 0x80). */
    static boolean isAscii(byte[] data, int from, int to) {
        int i = from;
        long high = 0;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            high |= (long) LONGS.get(data, i);
        }
        for (; i < to; i++) {
            high |= data[i];
        }
        return (high & HIGH_BITS) == 0;
    }
}
