package io.sluice.group.assignor;

import static io.sluice.group.assignor.Assignments.members;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {

    private final RangeAssignor range = new RangeAssignor();

    @Test
    void contiguousRangesWithTheExtrasGoingToTheFirstMembers() {
        Map<String, SortedSet<TopicPartition>> result =
                range.assign(AssignmentInput.of(members(3, "t"), Map.of("t", 7)));

        assertThat(result.get("m00")).containsExactly(tp("t", 0), tp("t", 1), tp("t", 2));
        assertThat(result.get("m01")).containsExactly(tp("t", 3), tp("t", 4));
        assertThat(result.get("m02")).containsExactly(tp("t", 5), tp("t", 6));
    }

    @Test
    void eachTopicIsSplitOnlyAmongItsSubscribers() {
        Map<String, Set<String>> subs = new TreeMap<>(Map.of("a", Set.of("x"), "b", Set.of("x", "y")));

        Map<String, SortedSet<TopicPartition>> result = range.assign(AssignmentInput.of(subs, Map.of("x", 2, "y", 2)));

        assertThat(result.get("a")).containsExactly(tp("x", 0));
        assertThat(result.get("b")).containsExactly(tp("x", 1), tp("y", 0), tp("y", 1));
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
