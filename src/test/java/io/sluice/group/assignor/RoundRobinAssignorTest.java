package io.sluice.group.assignor;

import static io.sluice.group.assignor.Assignments.members;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RoundRobinAssignorTest {

    private final RoundRobinAssignor roundRobin = new RoundRobinAssignor();

    @Test
    void partitionsOfAllTopicsAreDealtInTurn() {
        Map<String, SortedSet<TopicPartition>> result =
                roundRobin.assign(AssignmentInput.of(members(2, "a", "b"), Map.of("a", 3, "b", 2)));

        assertThat(result.get("m00")).containsExactly(tp("a", 0), tp("a", 2), tp("b", 1));
        assertThat(result.get("m01")).containsExactly(tp("a", 1), tp("b", 0));
    }

    @Test
    void aMemberNotSubscribedToATopicIsSkipped() {
        Map<String, Set<String>> subs = new TreeMap<>(Map.of("a", Set.of("x"), "b", Set.of("x", "y")));

        Map<String, SortedSet<TopicPartition>> result =
                roundRobin.assign(AssignmentInput.of(subs, Map.of("x", 2, "y", 2)));

        assertThat(result.get("a")).containsExactly(tp("x", 0));
        assertThat(result.get("b")).containsExactly(tp("x", 1), tp("y", 0), tp("y", 1));
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
