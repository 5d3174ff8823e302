package io.sluice.api.http;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON strings given as UTF-8 bytes into a {@link ByteSink}, checked and escaped on the way. Escaping:
 * {@code "} and {@code \} get a backslash, control characters below U+0020 become {@code \n}, {@code \t}, ... or
 * {@code \}{@code u00XX}; every other code point is copied as its UTF-8 bytes unchanged. A string whose bytes are not
 * well-formed UTF-8 (stray or missing continuation bytes, overlong forms, surrogates, code points past U+10FFFF: the
 * rules of the JDK's strict decoder) is refused with {@link #MALFORMED} before anything of it is written.
 *
 * <p>Both passes (the check, then the copy with escapes) find the bytes they must look at with {@link ByteScan}, eight
 * bytes per step, and copy the runs between them whole: byte by byte they had been a third of the server's CPU in a
 * text-format read of 1,000 B records. Stateless, thread-safe.
 */
final class JsonText {

    /** Returned by {@link #writeString} when the bytes are not UTF-8; nothing was written then. */
    static final int MALFORMED = -1;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonText() {}

    /**
     * Writes the quoted, escaped JSON string of the UTF-8 bytes {@code bytes[from, from + length)}; {@link #MALFORMED}
     * (nothing written) if they are not UTF-8.
     */
    static int writeString(ByteSink out, byte[] bytes, int from, int length) {
        int end = from + length;
        if (!isUtf8(bytes, from, end, true)) {
            return MALFORMED;
        }
        out.write('"');
        int run = from; // start of the bytes copied as they are
        // the scan also stops at bytes beyond ASCII, which are copied as they are
        for (int i = from; (i = ByteScan.indexOfStringSpecial(bytes, i, end)) >= 0; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 || b == '"' || b == '\\') {
                out.write(bytes, run, i - run);
                writeEscape(out, b);
                run = i + 1;
            }
        }
        out.write(bytes, run, end - run);
        out.write('"');
        return length;
    }

    /** Whether {@code bytes} are well-formed UTF-8 by the strict rules in the class comment. */
    static boolean isUtf8(byte[] bytes) {
        return isUtf8(bytes, 0, bytes.length, true);
    }

    /** As {@link #isUtf8(byte[])} for {@code bytes[from, to)}, and with {@code allowNul} false also refusing any 0. */
    static boolean isUtf8(byte[] bytes, int from, int to, boolean allowNul) {
        int i = from;
        while ((i = ByteScan.indexOfNonAscii(bytes, i, to, allowNul)) >= 0) {
            if (bytes[i] == 0) {
                return false;
            }
            int length = sequenceLength(bytes, i, to);
            if (length < 0) {
                return false;
            }
            i += length;
        }
        return true;
    }

    /** The length of the multi-byte sequence at {@code i}, or -1 if it is not well-formed. */
    private static int sequenceLength(byte[] bytes, int i, int to) {
        int lead = bytes[i] & 0xff;
        int length;
        int min2;
        int max2 = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
            min2 = 0x80;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            min2 = lead == 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
            max2 = lead == 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            min2 = lead == 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            max2 = lead == 0xf4 ? 0x8f : 0xbf; // F4 90.. would pass U+10FFFF
        } else {
            return -1;
        }
        if (i + length > to) {
            return -1;
        }
        int second = bytes[i + 1] & 0xff;
        if (second < min2 || second > max2) {
            return -1;
        }
        for (int k = 2; k < length; k++) {
            if ((bytes[i + k] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return length;
    }

    private static void writeEscape(ByteSink out, int b) {
        out.write('\\');
        switch (b) {
            case '"', '\\' -> out.write(b);
            case '\n' -> out.write('n');
            case '\r' -> out.write('r');
            case '\t' -> out.write('t');
            case '\b' -> out.write('b');
            case '\f' -> out.write('f');
            default -> {
                out.write('u');
                out.write('0');
                out.write('0');
                out.write(HEX[b >> 4]);
                out.write(HEX[b & 0xf]);
            }
        }
    }
}
