package io.sluice.group.assignor;

import static io.sluice.group.assignor.Assignments.assertValid;
import static io.sluice.group.assignor.Assignments.maxMinusMin;
import static io.sluice.group.assignor.Assignments.members;
import static io.sluice.group.assignor.Assignments.moved;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StickyAssignorTest {

    private final StickyAssignor sticky = new StickyAssignor();

    @Test
    void aJoiningMemberTakesOnlyItsShare() {
        Map<String, SortedSet<TopicPartition>> before =
                sticky.assign(AssignmentInput.of(members(3, "t"), Map.of("t", 12)));

        AssignmentInput grown =
                AssignmentInput.of(members(4, "t"), Map.of("t", 12)).withPrevious(before);
        Map<String, SortedSet<TopicPartition>> after = sticky.assign(grown);

        assertValid(grown, after);
        assertThat(after.get("m03")).hasSize(3);
        assertThat(moved(before, after)).isEqualTo(3);
    }

    @Test
    void aLeavingMembersPartitionsAreTheOnlyOnesThatMove() {
        Map<String, SortedSet<TopicPartition>> before =
                sticky.assign(AssignmentInput.of(members(4, "t"), Map.of("t", 12)));
        Map<String, Set<String>> three = members(4, "t");
        three.remove("m01");

        Map<String, SortedSet<TopicPartition>> after =
                sticky.assign(AssignmentInput.of(three, Map.of("t", 12)).withPrevious(before));

        assertThat(moved(before, after)).isZero();
        for (String member : three.keySet()) {
            assertThat(after.get(member)).containsAll(before.get(member));
        }
        assertThat(maxMinusMin(after)).isZero();
    }

    @Test
    void newPartitionsAreAddedWithoutMovingOldOnes() {
        Map<String, SortedSet<TopicPartition>> before =
                sticky.assign(AssignmentInput.of(members(3, "t"), Map.of("t", 6)));

        Map<String, SortedSet<TopicPartition>> after = sticky.assign(
                AssignmentInput.of(members(3, "t"), Map.of("t", 9)).withPrevious(before));

        assertThat(moved(before, after)).isZero();
        assertThat(after.values()).allSatisfy(p -> assertThat(p).hasSize(3));
    }

    @Test
    void anUnchangedGroupKeepsItsAssignment() {
        AssignmentInput input = AssignmentInput.of(members(5, "a", "b"), Map.of("a", 7, "b", 5));
        Map<String, SortedSet<TopicPartition>> before = sticky.assign(input);

        assertThat(sticky.assign(input.withPrevious(before))).isEqualTo(before);
    }

    @Test
    void aMemberDroppingATopicGivesItUpAndIsRebalancedWithWhatItMayStillRead() {
        Map<String, Set<String>> subs = members(2, "a", "b");
        Map<String, SortedSet<TopicPartition>> before = sticky.assign(AssignmentInput.of(subs, Map.of("a", 4, "b", 4)));
        subs.put("m00", Set.of("a"));

        AssignmentInput changed =
                AssignmentInput.of(subs, Map.of("a", 4, "b", 4)).withPrevious(before);
        Map<String, SortedSet<TopicPartition>> after = sticky.assign(changed);

        assertValid(changed, after);
        assertThat(after.get("m00")).allSatisfy(tp -> assertThat(tp.topic()).isEqualTo("a"));
        // m01 takes b-0 and b-2 over, then hands two of its a-partitions back to keep the counts level
        assertThat(after.get("m00")).hasSize(4);
        assertThat(after.get("m01")).hasSize(4);
        assertThat(moved(before, after)).isEqualTo(4);
    }

    @Test
    void aLargeLopsidedGroupIsLevelledWithTheFewestMoves() {
        Map<String, Set<String>> subs = members(200, "big");
        Map<String, SortedSet<TopicPartition>> lopsided = new TreeMap<>();
        subs.keySet().forEach(m -> lopsided.put(m, new TreeSet<>()));
        for (int p = 0; p < 2_000; p++) {
            lopsided.get("m00").add(new TopicPartition("big", p));
        }
        AssignmentInput input = AssignmentInput.of(subs, Map.of("big", 2_000)).withPrevious(lopsided);

        Map<String, SortedSet<TopicPartition>> result = sticky.assign(input);

        assertValid(input, result);
        assertThat(maxMinusMin(result)).isZero();
        assertThat(moved(lopsided, result)).isEqualTo(1_990);
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /**
     * A random history of joins, leaves and partition growth on identically subscribed members. After every step the
     * assignment is valid, balanced (max - min <= 1), and moves exactly the fewest partitions any balanced assignment
     * could: each remaining member gives up only what it holds above its target share.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomChangesStayBalancedAndMoveTheMinimum(long seed) {
        Random random = new Random(seed);
        List<String> live = new ArrayList<>(List.of("c0"));
        int nextId = 1;
        SortedMap<String, Integer> sizes =
                new TreeMap<>(Map.of("x", 1 + random.nextInt(8), "y", 1 + random.nextInt(8)));
        Map<String, SortedSet<TopicPartition>> current = Map.of();
        for (int step = 0; step < 40; step++) {
            int event = random.nextInt(4);
            if (event == 0 || live.isEmpty()) {
                live.add("c" + nextId++);
            } else if (event == 1 && live.size() > 1) {
                live.remove(random.nextInt(live.size()));
            } else if (event == 2) {
                String topic = random.nextBoolean() ? "x" : "y";
                sizes.put(topic, sizes.get(topic) + 1 + random.nextInt(3));
            }
            Map<String, Set<String>> subs = new TreeMap<>();
            live.forEach(m -> subs.put(m, Set.of("x", "y")));
            AssignmentInput input = AssignmentInput.of(subs, sizes).withPrevious(current);

            Map<String, SortedSet<TopicPartition>> next = sticky.assign(input);

            String context = "seed " + seed + " step " + step;
            assertValid(input, next);
            assertThat(maxMinusMin(next)).as(context).isLessThanOrEqualTo(1);
            assertThat(moved(current, next)).as(context).isEqualTo(minimumMoves(current, next.keySet(), input));
            current = next;
        }
    }

    /** The fewest partitions that must leave surviving members so that every member ends within its share. */
    private static int minimumMoves(
            Map<String, SortedSet<TopicPartition>> before, Set<String> members, AssignmentInput input) {
        int total = input.subscribedPartitions().size();
        int n = members.size();
        List<Integer> kept = new ArrayList<>();
        for (String m : members) {
            SortedSet<TopicPartition> still = new TreeSet<>(before.getOrDefault(m, new TreeSet<>()));
            still.retainAll(input.subscribedPartitions());
            kept.add(still.size());
        }
        kept.sort((a, b) -> b - a);
        int moves = 0;
        for (int i = 0; i < n; i++) {
            int target = total / n + (i < total % n ? 1 : 0);
            moves += Math.max(0, kept.get(i) - target);
        }
        return moves;
    }
}
