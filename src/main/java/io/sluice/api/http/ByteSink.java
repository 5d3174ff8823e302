package io.sluice.api.http;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array written as an {@link OutputStream} (by a JSON generator) or directly ({@link #reserve} then
 * {@link #advance}), read back as slices of {@link #array()}. Reused by {@link #reset()}. Not thread-safe.
 */
final class ByteSink extends OutputStream {

    /** 10^0 .. 10^18: a long has at most 19 digits. */
    private static final long[] POWERS_OF_TEN = powersOfTen();

    private byte[] bytes;
    private int size;

    ByteSink(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    /** The backing array; valid up to {@link #size()} until the next write. */
    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    /** Makes room for {@code more} bytes after {@link #size()}; returns the array to write them into. */
    byte[] reserve(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
        return bytes;
    }

    /** Counts {@code written} bytes put into the array returned by {@link #reserve}. */
    void advance(int written) {
        size += written;
    }

    @Override
    public void write(int b) {
        reserve(1)[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source) {
        write(source, 0, source.length);
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        System.arraycopy(source, offset, reserve(length), size, length);
        size += length;
    }

    /** Appends the decimal digits of {@code value} (ASCII), without a String. */
    ByteSink writeDecimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return writeAscii(Long.toString(value));
            }
            write('-');
            value = -value;
        }
        size = putDecimal(reserve(20), size, value);
        return this;
    }

    /**
     * Writes the decimal digits of {@code value}, which is not negative, into {@code target} from {@code from} (room
     * for up to 19 digits); returns the index after the last digit.
     */
    static int putDecimal(byte[] target, int from, long value) {
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        int end = from + digits;
        int at = end;
        // two digits per division: timestamps have 13
        while (value >= 100) {
            long rest = value / 100;
            int pair = (int) (value - rest * 100);
            target[--at] = (byte) ('0' + pair % 10);
            target[--at] = (byte) ('0' + pair / 10);
            value = rest;
        }
        target[--at] = (byte) ('0' + value % 10);
        if (value >= 10) {
            target[--at] = (byte) ('0' + value / 10);
        }
        return end;
    }

    /** Appends ASCII text. */
    ByteSink writeAscii(String text) {
        byte[] target = reserve(text.length());
        for (int i = 0; i < text.length(); i++) {
            target[size + i] = (byte) text.charAt(i);
        }
        size += text.length();
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private static long[] powersOfTen() {
        long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }
}
