package io.sluice.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    @Test
    void producerIdsAreStableAndInTheReservedRange() {
        Random random = new Random(3);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String key = "key-" + random.nextLong();
            long id = IdempotencyKeys.producerId(key);
            assertThat(id).isEqualTo(IdempotencyKeys.producerId(key));
            assertThat(id).isGreaterThanOrEqualTo(1L << 62).isLessThanOrEqualTo(Long.MAX_VALUE);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
