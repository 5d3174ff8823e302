package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The eight-bytes-at-a-time scans against a byte-by-byte reading, on seeded random arrays and ranges. */
class ByteScanTest {

    private static final byte[] ALPHABET = {
        'a', 'Z', ' ', '~', '\n', '"', '\\', 0, 0x1f, 0x7f, (byte) 0x80, (byte) 0xff,
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void scansFindWhatAByteByByteReadingFinds(int seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 5_000; round++) {
            byte[] data = new byte[random.nextInt(40)];
            // mostly plain bytes, so that the special ones land anywhere in a word, or nowhere
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(8) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) 'x';
            }
            int from = data.length == 0 ? 0 : random.nextInt(data.length + 1);
            int to = from + random.nextInt(data.length - from + 1);
            String context = "round " + round + " [" + from + ", " + to + ")";

            assertThat(ByteScan.indexOfNewline(data, from, to))
                    .as(context)
                    .isEqualTo(first(data, from, to, b -> b == '\n'));
            assertThat(ByteScan.indexOfStringSpecial(data, from, to))
                    .as(context)
                    .isEqualTo(first(
                            data, from, to, b -> b == '"' || b == '\\' || (b & 0xff) < 0x20 || (b & 0xff) >= 0x80));
            assertThat(ByteScan.indexOfNonAscii(data, from, to, true))
                    .as(context)
                    .isEqualTo(first(data, from, to, b -> b < 0));
            assertThat(ByteScan.indexOfNonAscii(data, from, to, false))
                    .as(context)
                    .isEqualTo(first(data, from, to, b -> b <= 0));
            assertThat(ByteScan.isAscii(data, from, to)).as(context).isEqualTo(first(data, from, to, b -> b < 0) < 0);
        }
    }

    private interface BytePredicate {
        boolean test(byte b);
    }

    private static int first(byte[] data, int from, int to, BytePredicate predicate) {
        for (int i = from; i < to; i++) {
            if (predicate.test(data[i])) {
                return i;
            }
        }
        return -1;
    }
}
