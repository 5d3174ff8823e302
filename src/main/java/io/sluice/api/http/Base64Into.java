package io.sluice.api.http;

import java.util.Base64;

/**
 * Decodes base64 text (RFC 4648 basic alphabet) from a char slice straight into a {@link ByteSink}, without a String
 * or an intermediate array for the common, canonical form (length a multiple of 4, padding only at the end). Any
 * other input is handed to {@link Base64#getDecoder()}, so what is accepted, and the message of what is not, is
 * exactly the JDK decoder's. Stateless, thread-safe.
 */
final class Base64Into {

    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
    }

    private Base64Into() {}

    /**
     * Appends the bytes {@code text[offset, offset + length)} decodes to; returns how many. Throws {@link
     * IllegalArgumentException} (the JDK decoder's) when the text is not base64.
     */
    static int decode(char[] text, int offset, int length, ByteSink out) {
        if (length % 4 != 0) {
            return slow(text, offset, length, out);
        }
        int padding = length == 0 ? 0 : (text[offset + length - 1] == '=' ? 1 : 0);
        if (padding == 1 && text[offset + length - 2] == '=') {
            padding = 2;
        }
        int decoded = length / 4 * 3 - padding;
        byte[] target = out.reserve(decoded);
        int at = out.size();
        int fullUnits = padding == 0 ? length / 4 : length / 4 - 1;
        int end = offset + fullUnits * 4;
        for (int i = offset; i < end; i += 4) {
            int bits = value(text[i]) << 18 | value(text[i + 1]) << 12 | value(text[i + 2]) << 6 | value(text[i + 3]);
            if (bits < 0) {
                return slow(text, offset, length, out);
            }
            target[at++] = (byte) (bits >> 16);
            target[at++] = (byte) (bits >> 8);
            target[at++] = (byte) bits;
        }
        if (padding > 0) {
            int a = value(text[end]);
            int b = value(text[end + 1]);
            int c = padding == 1 ? value(text[end + 2]) : 0;
            if ((a | b | c) < 0) {
                return slow(text, offset, length, out);
            }
            int bits = a << 18 | b << 12 | c << 6;
            target[at++] = (byte) (bits >> 16);
            if (padding == 1) {
                target[at++] = (byte) (bits >> 8);
            }
        }
        out.advance(decoded);
        return decoded;
    }

    /** -1 (which makes the whole unit negative) for anything outside the alphabet. */
    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1 << 24;
    }

    private static int slow(char[] text, int offset, int length, ByteSink out) {
        byte[] bytes = Base64.getDecoder().decode(new String(text, offset, length));
        out.write(bytes, 0, bytes.length);
        return bytes.length;
    }
}
