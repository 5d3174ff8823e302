package io.sluice.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Helpers for assignor tests: building inputs and checking the {@link PartitionAssignor} contract. */
final class Assignments {

    private Assignments() {}

    /** Members m0..m(n-1), all subscribed to {@code topics}. */
    static Map<String, Set<String>> members(int n, String... topics) {
        Map<String, Set<String>> members = new TreeMap<>();
        IntStream.range(0, n).forEach(i -> members.put(String.format("m%02d", i), Set.of(topics)));
        return members;
    }

    static int maxMinusMin(Map<String, SortedSet<TopicPartition>> result) {
        int max = result.values().stream().mapToInt(Set::size).max().orElse(0);
        int min = result.values().stream().mapToInt(Set::size).min().orElse(0);
        return max - min;
    }

    /**
     * How many partitions were taken from a member that is still there. Partitions that are new, or whose owner left,
     * have to go somewhere and do not count.
     */
    static int moved(Map<String, ? extends Set<TopicPartition>> before, Map<String, SortedSet<TopicPartition>> after) {
        Map<TopicPartition, String> ownerBefore = owners(before);
        Map<TopicPartition, String> ownerAfter = owners(after);
        int moved = 0;
        for (Map.Entry<TopicPartition, String> e : ownerAfter.entrySet()) {
            String old = ownerBefore.get(e.getKey());
            if (old != null && after.containsKey(old) && !old.equals(e.getValue())) {
                moved++;
            }
        }
        return moved;
    }

    static Map<TopicPartition, String> owners(Map<String, ? extends Set<TopicPartition>> assignment) {
        Map<TopicPartition, String> owners = new TreeMap<>();
        assignment.forEach((m, ps) -> ps.forEach(tp -> owners.put(tp, m)));
        return owners;
    }

    /** The contract every assignor must keep: complete, exclusive, eligible, an entry per member. */
    static void assertValid(AssignmentInput input, Map<String, SortedSet<TopicPartition>> result) {
        assertThat(result.keySet()).isEqualTo(input.subscriptions().keySet());
        Set<TopicPartition> seen = new HashSet<>();
        result.forEach((member, partitions) -> partitions.forEach(tp -> {
            assertThat(seen.add(tp)).as("%s assigned twice", tp).isTrue();
            assertThat(input.eligible(member, tp))
                    .as("%s not eligible for %s", member, tp)
                    .isTrue();
        }));
        assertThat(new TreeSet<>(seen)).isEqualTo(new TreeSet<>(input.subscribedPartitions()));
    }

    static Set<String> topics(Map<String, SortedSet<TopicPartition>> result) {
        return result.values().stream()
                .flatMap(Set::stream)
                .map(TopicPartition::topic)
                .collect(Collectors.toSet());
    }
}
