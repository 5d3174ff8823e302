package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The check and the escaping copy against the JDK's strict UTF-8 decoder and a plain escaper, on seeded random text. */
class JsonTextTest {

    /** Bytes drawn to hit both the eight-byte steps and every byte-by-byte case at every alignment. */
    private static final byte[][] PIECES = {
        "plain ascii text".getBytes(StandardCharsets.US_ASCII),
        {'"'},
        {'\\'},
        {'\n'},
        {0x1f},
        {0},
        {0x7f},
        "é".getBytes(StandardCharsets.UTF_8),
        "€".getBytes(StandardCharsets.UTF_8),
        "😀".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xc0, (byte) 0x80}, // overlong
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // surrogate
        {(byte) 0xe2, (byte) 0x82}, // truncated
        {(byte) 0x80}, // stray continuation
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
    };

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithTheJdksStrictDecoderAndAPlainEscaper(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            byte[] text = randomText(random);
            int from = random.nextInt(text.length + 1);
            int length = random.nextInt(text.length - from + 1);
            byte[] slice = Arrays.copyOfRange(text, from, from + length);
            String decoded = strictlyDecoded(slice);

            assertThat(JsonText.isUtf8(text, from, from + length, true)).isEqualTo(decoded != null);
            assertThat(JsonText.isUtf8(text, from, from + length, false))
                    .isEqualTo(decoded != null && decoded.indexOf('\0') < 0);
            ByteSink out = new ByteSink(1);
            int written = JsonText.writeString(out, text, from, length);
            if (decoded == null) {
                assertThat(written).isEqualTo(JsonText.MALFORMED);
                assertThat(out.size()).isZero();
            } else {
                assertThat(written).isEqualTo(length);
                assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
                        .isEqualTo(escaped(decoded));
            }
        }
    }

    @Test
    void findsTheOneByteToEscapeAtEveryPositionOfALongRun() {
        for (byte special : new byte[] {'"', '\\', '\t', 0, 0x1f}) {
            for (int at = 0; at < 40; at++) {
                byte[] text = new byte[40];
                Arrays.fill(text, (byte) 'a');
                text[at] = special;
                ByteSink out = new ByteSink(1);

                JsonText.writeString(out, text, 0, text.length);

                String expected = escaped(new String(text, StandardCharsets.US_ASCII));
                assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                        .isEqualTo(expected);
            }
        }
    }

    private static byte[] randomText(Random random) {
        ByteSink text = new ByteSink(64);
        int pieces = random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            // mostly plain text, as values are
            byte[] piece = random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : PIECES[0];
            text.write(piece, 0, random.nextInt(piece.length + 1));
        }
        return text.toByteArray();
    }

    /** The text of {@code bytes} by the JDK's strict UTF-8 decoder; null if it refuses them. */
    static String strictlyDecoded(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The JSON string of {@code text}, escaped one character at a time. */
    private static String escaped(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return json.append('"').toString();
    }
}
