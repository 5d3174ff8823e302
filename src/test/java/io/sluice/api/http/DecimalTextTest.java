package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalTextTest {

    @Test
    void consecutiveRepeatedAndJumpingNumbersReadAsTheirDecimals() {
        assertWritesAsDecimals(List.of(
                0L,
                0L,
                1L,
                9L,
                10L,
                11L,
                99L,
                100L,
                100L,
                999_999L,
                1_000_000L,
                1_000_001L,
                5L,
                6L,
                1_796_601_702_497L,
                1_796_601_702_497L,
                1_796_601_702_498L,
                Long.MAX_VALUE - 1,
                Long.MAX_VALUE));
    }

    @Test
    void negativeNumbersAreWrittenAndForgotten() {
        assertWritesAsDecimals(List.of(7L, -1L, 0L, -1L, -1L, Long.MIN_VALUE, 8L, 9L));
    }

    @Test
    void randomRunsOfStepsMatchLongToString() {
        SplittableRandom random = new SplittableRandom(42);
        List<Long> numbers = new ArrayList<>();
        long value = 0;
        for (int i = 0; i < 20_000; i++) {
            int step = random.nextInt(10);
            value = step < 6 ? value + 1 : step < 9 ? value : random.nextLong(-10, Long.MAX_VALUE);
            numbers.add(value);
        }
        assertWritesAsDecimals(numbers);
    }

    private static void assertWritesAsDecimals(List<Long> numbers) {
        DecimalText text = new DecimalText();
        ByteSink out = new ByteSink(16);
        StringBuilder expected = new StringBuilder();
        for (long number : numbers) {
            text.write(out, number);
            out.write(',');
            expected.append(number).append(',');
        }
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }
}
