package io.sluice.api.http;

import java.util.Base64;

/**
 * Decodes base64 text (RFC 4648 basic alphabet) from a char slice into a {@link ByteSink} with the JDK decoder (so
 * what is accepted, and the message of what is not, is exactly {@link Base64#getDecoder()}'s), without a String per
 * value: ASCII text is narrowed into a reused array of exactly its length (the JDK decodes whole arrays only; values of
 * one size, the common case, reuse it) and decoded into a reused output array. Not thread-safe: one per reader.
 */
final class Base64Into {

    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private byte[] text = new byte[0];
    private byte[] decoded = new byte[0];

    /**
     * Appends the bytes {@code chars[offset, offset + length)} decodes to; returns how many. Throws {@link
     * IllegalArgumentException} (the JDK decoder's) when the text is not base64.
     */
    int decode(char[] chars, int offset, int length, ByteSink out) {
        if (text.length != length) {
            text = new byte[length];
        }
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c >= 0x80) {
                return decodeString(new String(chars, offset, length), out);
            }
            text[i] = (byte) c;
        }
        int room = (length + 3) / 4 * 3;
        if (decoded.length < room) {
            decoded = new byte[room];
        }
        int count = DECODER.decode(text, decoded);
        out.write(decoded, 0, count);
        return count;
    }

    /** Beyond ASCII it cannot be base64; the JDK names the character as its String decoder does. */
    private static int decodeString(String value, ByteSink out) {
        byte[] bytes = DECODER.decode(value);
        out.write(bytes, 0, bytes.length);
        return bytes.length;
    }
}
