package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GroupViewTest {

    private static final TopicPartition SEEN = new TopicPartition("seen", 0);
    private static final TopicPartition HIDDEN = new TopicPartition("hidden", 0);

    @Test
    void restrictingAViewDropsOtherTopicsFromAssignmentsLagAndTotal() {
        MemberView member = new MemberView(
                "i1",
                Optional.of(Subscription.topics(List.of("seen", "hidden"))),
                false,
                new TreeSet<>(Set.of(SEEN, HIDDEN)),
                1,
                2,
                InstanceConfig.defaults());
        GroupView view = new GroupView(
                "g",
                GroupState.STABLE,
                3,
                "sticky",
                10_000,
                List.of(member),
                List.of(
                        new PartitionLag(SEEN, OptionalLong.of(5), 10, 5, Optional.of("i1")),
                        new PartitionLag(HIDDEN, OptionalLong.of(1), 100, 99, Optional.of("i1"))));

        GroupView shown = view.restrictedTo("seen"::equals);

        assertThat(view.totalLag()).isEqualTo(104);
        assertThat(shown.totalLag()).isEqualTo(5);
        assertThat(shown.partitions()).extracting(PartitionLag::partition).containsExactly(SEEN);
        assertThat(shown.members()).hasSize(1);
        assertThat(shown.members().get(0).assignment()).containsExactly(SEEN);
        assertThat(shown.members().get(0).instanceId()).isEqualTo("i1");
        assertThat(shown.generation()).isEqualTo(3);
    }
}
