package io.sluice.bench;

import java.util.Random;

/**
 * Makes the value of record number {@code seq}: {@code size} printable ASCII bytes (letters and digits, so they
 * need no escaping in JSON), starting with the zero-padded sequence number and continuing with a window of a
 * seeded random text chosen by {@code seq}, so consecutive values differ the way real payloads do. Values shorter
 * than the prefix are just the prefix's tail. Immutable and thread-safe.
 */
final class ValueSource {

    private static final int PREFIX = 12;
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int size;
    private final byte[] text;

    ValueSource(int size) {
        this.size = size;
        this.text = new byte[Math.max(1 << 16, size * 4)];
        Random random = new Random(42);
        for (int i = 0; i < text.length; i++) {
            text[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
    }

    int size() {
        return size;
    }

    /** Writes the value of record {@code seq} into {@code out} at {@code at}; returns {@code size}. */
    int write(long seq, byte[] out, int at) {
        int prefix = Math.min(PREFIX, size);
        long rest = seq;
        for (int i = prefix - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + (rest % 10));
            rest /= 10;
        }
        int window = (int) ((seq * 7919L) % (text.length - size));
        System.arraycopy(text, window, out, at + prefix, size - prefix);
        return size;
    }
}
