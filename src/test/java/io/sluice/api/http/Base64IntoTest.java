package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Base64Into decodes exactly what the JDK decoder decodes, and refuses exactly what it refuses, with its message. */
class Base64IntoTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithTheJdkDecoderOnRandomText(int seed) {
        Random random = new Random(seed);
        Base64Into base64 = new Base64Into();
        for (int round = 0; round < 2000; round++) {
            String text = randomText(random);
            String context = "seed " + seed + " round " + round + ": '" + text + "'";
            String jdk;
            try {
                jdk = Arrays.toString(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                jdk = "error " + e.getMessage();
            }
            ByteSink sink = new ByteSink(4);
            sink.write(7); // decoding appends after what is there
            String ours;
            try {
                char[] padded = ("<>" + text + "<>").toCharArray();
                int length = base64.decode(padded, 2, text.length(), sink);
                assertThat(length).as(context).isEqualTo(sink.size() - 1);
                ours = Arrays.toString(Arrays.copyOfRange(sink.array(), 1, sink.size()));
            } catch (IllegalArgumentException e) {
                ours = "error " + e.getMessage();
            }
            assertThat(ours).as(context).isEqualTo(jdk);
        }
    }

    private static String randomText(Random random) {
        byte[] bytes = new byte[random.nextInt(20)];
        random.nextBytes(bytes);
        String valid = Base64.getEncoder().encodeToString(bytes);
        StringBuilder text = new StringBuilder(valid);
        switch (random.nextInt(6)) {
            case 0 -> {
                // valid as is
            }
            case 1 -> text.setLength(text.length() - Math.min(text.length(), 1 + random.nextInt(3)));
            case 2 -> text.insert(random.nextInt(text.length() + 1), "=");
            case 3 -> text.insert(random.nextInt(text.length() + 1), random.nextBoolean() ? "-" : "é");
            case 4 -> text.append(ALPHABET.charAt(random.nextInt(64)));
            default -> text.replace(0, text.length(), valid.replace("=", ""));
        }
        return text.toString();
    }
}
