package io.sluice.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionerTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 7L, 20261125L})
    void murmur2MatchesKafkaClientsForRandomKeysOfEveryLength(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 1_000; i++) {
            byte[] key = new byte[random.nextInt(40)];
            random.nextBytes(key);
            assertThat(Murmur2.hash(key)).as("seed %d key #%d", seed, i).isEqualTo(Utils.murmur2(key));
        }
    }

    @Test
    void thousandStringKeysLandOnTheSamePartitionAsWithKafkasDefaultPartitioner() {
        for (int partitions : List.of(1, 2, 3, 7, 12, 100)) {
            for (int i = 0; i < 1_000; i++) {
                byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
                assertThat(Partitioner.forKey(key, partitions))
                        .as("key-%d over %d partitions", i, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    @Test
    void keylessRequestsTakeEachTopicsPartitionsInTurnEvenWhenInterleaved() {
        Partitioner partitioner = new Partitioner();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            seen.add(partitioner.forKeylessRequest("odd", 2));
            partitioner.forKeylessRequest("even", 2);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void idempotencyKeyAlwaysPicksTheSamePartition() {
        int first = Partitioner.forIdempotencyKey("req-42", 5);
        for (int i = 0; i < 10; i++) {
            assertThat(Partitioner.forIdempotencyKey("req-42", 5)).isEqualTo(first);
        }
    }
}
