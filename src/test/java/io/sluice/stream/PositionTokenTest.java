package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.SluiceException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositionTokenTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 4711})
    void textFormRoundTripsForRandomPositions(long seed) {
        Random random = new Random(seed);
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int i = random.nextInt(20) + 1; i > 0; i--) {
            offsets.put(random.nextInt(1000), random.nextLong() & Long.MAX_VALUE);
        }
        PositionToken token = PositionToken.of(offsets);
        assertThat(PositionToken.parse(token.toString())).as("seed %d", seed).isEqualTo(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0:15,1:7", "3:0", "0:1,2:9,10:100"})
    void printsPartitionsInOrder(String text) {
        assertThat(PositionToken.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "0", "0:", ":1", "a:1", "0:-1", "-1:0", "0:1,0:2", "0:1,", "0:1;1:2", "0:1x"})
    void rejectsMalformedTokens(String text) {
        assertThatThrownBy(() -> PositionToken.parse(text))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("invalid position token");
    }
}
