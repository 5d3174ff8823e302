package io.sluice.group.assignor;

import static io.sluice.group.assignor.Assignments.assertValid;
import static io.sluice.group.assignor.Assignments.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link PartitionAssignor} contract, run against every assignor. */
class AssignorContractTest {

    static Stream<PartitionAssignor> assignors() {
        return Assignors.names().stream().map(Assignors::byName);
    }

    static Stream<Arguments> assignorsAndSeeds() {
        return assignors()
                .flatMap(a ->
                        Stream.of(1L, 2L, 3L, 5L, 8L, 13L, 21L, 34L, 55L, 89L).map(seed -> Arguments.of(a, seed)));
    }

    @ParameterizedTest
    @MethodSource("assignors")
    void everyPartitionGoesToExactlyOneSubscribedMember(PartitionAssignor assignor) {
        AssignmentInput input = AssignmentInput.of(members(3, "a", "b"), Map.of("a", 7, "b", 2, "c", 4));

        Map<String, SortedSet<TopicPartition>> result = assignor.assign(input);

        assertValid(input, result);
        assertThat(Assignments.topics(result)).containsExactlyInAnyOrder("a", "b");
    }

    @ParameterizedTest
    @MethodSource("assignors")
    void aSingleTopicIsSplitEvenly(PartitionAssignor assignor) {
        AssignmentInput input = AssignmentInput.of(members(4, "t"), Map.of("t", 10));

        Map<String, SortedSet<TopicPartition>> result = assignor.assign(input);

        assertValid(input, result);
        assertThat(Assignments.maxMinusMin(result)).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("assignors")
    void moreMembersThanPartitionsLeavesSomeIdle(PartitionAssignor assignor) {
        AssignmentInput input = AssignmentInput.of(members(5, "t"), Map.of("t", 2));

        Map<String, SortedSet<TopicPartition>> result = assignor.assign(input);

        assertValid(input, result);
        assertThat(result.values().stream().filter(Set::isEmpty)).hasSize(3);
    }

    @ParameterizedTest
    @MethodSource("assignors")
    void subscribedTopicThatDoesNotExistIsIgnored(PartitionAssignor assignor) {
        AssignmentInput input = AssignmentInput.of(members(2, "t", "missing"), Map.of("t", 3));

        Map<String, SortedSet<TopicPartition>> result = assignor.assign(input);

        assertValid(input, result);
        assertThat(Assignments.topics(result)).containsExactly("t");
    }

    @ParameterizedTest
    @MethodSource("assignors")
    void noMembersMeansAnEmptyAssignment(PartitionAssignor assignor) {
        assertThat(assignor.assign(AssignmentInput.of(Map.of(), Map.of("t", 3))))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("assignorsAndSeeds")
    void mixedSubscriptionsOnlyEverGiveEligiblePartitions(PartitionAssignor assignor, long seed) {
        Random random = new Random(seed);
        AssignmentInput input = randomInput(random);

        Map<String, SortedSet<TopicPartition>> result = assignor.assign(input);

        assertValid(input, result);
    }

    @ParameterizedTest
    @MethodSource("assignorsAndSeeds")
    void theSameInputAlwaysGivesTheSameAssignment(PartitionAssignor assignor, long seed) {
        Random random = new Random(seed);
        AssignmentInput first = randomInput(random);
        Map<String, SortedSet<TopicPartition>> previous =
                Assignors.byName(RoundRobinAssignor.NAME).assign(first);
        // the same history, handed over in a different map order
        List<String> keys = new ArrayList<>(previous.keySet());
        Collections.shuffle(keys, random);
        Map<String, Set<TopicPartition>> shuffled = new LinkedHashMap<>();
        keys.forEach(k -> shuffled.put(k, previous.get(k)));

        Map<String, SortedSet<TopicPartition>> a = assignor.assign(first.withPrevious(previous));
        Map<String, SortedSet<TopicPartition>> b = assignor.assign(first.withPrevious(shuffled));

        assertThat(a).as("seed %d", seed).isEqualTo(b);
    }

    @Test
    void unknownStrategyIsAnInvalidValue() {
        assertThatThrownBy(() -> Assignors.byName("cooperative"))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_VALUE));
        assertThat(Assignors.byName(null).name()).isEqualTo("sticky");
    }

    /** 1-8 members, each subscribing to a random non-empty subset of up to 4 topics of 1-12 partitions. */
    static AssignmentInput randomInput(Random random) {
        List<String> topics = List.of("alpha", "beta", "gamma", "delta");
        SortedMap<String, Integer> sizes = new TreeMap<>();
        topics.forEach(t -> sizes.put(t, 1 + random.nextInt(12)));
        SortedMap<String, SortedSet<String>> subs = new TreeMap<>();
        int members = 1 + random.nextInt(8);
        for (int m = 0; m < members; m++) {
            SortedSet<String> mine = new TreeSet<>();
            topics.forEach(t -> {
                if (random.nextBoolean()) {
                    mine.add(t);
                }
            });
            if (mine.isEmpty()) {
                mine.add(topics.get(random.nextInt(topics.size())));
            }
            subs.put("member-" + random.nextInt(1000) + "-" + m, mine);
        }
        return new AssignmentInput(subs, sizes, Map.of());
    }
}
