package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupAdminTest extends CoordinatorFixture {

    @BeforeEach
    void records() {
        for (int p = 0; p < 6; p++) {
            topics.append(tp(p), 50, 1_000);
            topics.append(tp(p), 50, 2_000);
        }
    }

    @Test
    void describeShowsMembersAssignmentLastSeenCommittedOffsetsAndLag() {
        String a = join("t");
        clock.advanceMillis(500);
        String b = join("t");
        coordinator.commit(
                GROUP, a, Map.of(coordinator.assignment(GROUP, a).partitions().first(), 30L));

        GroupView view = coordinator.describe(GROUP);

        assertThat(view.state()).isEqualTo(GroupState.STABLE);
        assertThat(view.generation()).isEqualTo(2);
        assertThat(view.assignor()).isEqualTo("sticky");
        assertThat(view.leaseMs()).isEqualTo(LEASE_MS);
        assertThat(view.members()).extracting(MemberView::instanceId).containsExactly(a, b);
        assertThat(view.members().get(1).lastSeen()).isEqualTo(clock.milliseconds());
        assertThat(view.members().get(0).assignment()).hasSize(3);
        assertThat(view.partitions()).hasSize(6);
        PartitionLag committedOne = view.partitions().stream()
                .filter(l -> l.committed().isPresent())
                .findFirst()
                .orElseThrow();
        assertThat(committedOne.lag()).isEqualTo(70);
        assertThat(committedOne.logEndOffset()).isEqualTo(100);
        assertThat(committedOne.owner()).contains(a);
        assertThat(view.totalLag()).isEqualTo(70 + 5 * 100);
    }

    @Test
    void listShowsLiveGroupsAndGroupsKnownOnlyFromTheStore() {
        join("t");
        coordinator.createInstance("quiet", manualCommit());
        coordinator.deleteInstance("quiet", "i2");

        assertThat(coordinator.listGroups())
                .extracting(GroupSummary::group, GroupSummary::state, GroupSummary::instances)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(GROUP, GroupState.STABLE, 1),
                        org.assertj.core.groups.Tuple.tuple("quiet", GroupState.EMPTY, 0));
    }

    @Test
    void offsetsOfAGroupWithLiveInstancesCannotBeReset() {
        join("t");

        assertError(
                        ErrorCode.GROUP_NOT_EMPTY,
                        () -> coordinator.resetOffsets(GROUP, Set.of("t"), new ResetTarget.Earliest()))
                .hasMessageContaining("live instances");
    }

    @Test
    void offsetsOfAnEmptyGroupCanBeResetToEarliestLatestATimestampOrExplicitOffsets() {
        String id = join("t");
        coordinator.commit(GROUP, id, Map.of(tp(0), 10L));
        coordinator.deleteInstance(GROUP, id);
        topics.deleteBefore(tp(1), 5);

        assertThat(coordinator.resetOffsets(GROUP, Set.of("t"), new ResetTarget.Earliest()))
                .hasSize(6)
                .containsEntry(tp(1), 5L);
        assertThat(coordinator.resetOffsets(GROUP, Set.of(), new ResetTarget.Latest()))
                .hasSize(6)
                .containsEntry(tp(0), 100L);
        assertThat(coordinator.resetOffsets(GROUP, Set.of("t"), new ResetTarget.ToTimestamp(1_500)))
                .containsEntry(tp(2), 50L);
        assertThat(coordinator.resetOffsets(GROUP, Set.of(), new ResetTarget.ToOffsets(Map.of(tp(3), 42L))))
                .containsOnlyKeys(tp(3));

        assertThat(store.committed(GROUP).get(tp(3)).offset()).isEqualTo(42);
        assertThat(store.committed(GROUP).get(tp(2)).offset()).isEqualTo(50);
    }

    @Test
    void aResetOffsetIsWhereTheNextMemberStarts() {
        String id = join("t");
        coordinator.deleteInstance(GROUP, id);
        coordinator.resetOffsets(GROUP, Set.of("t"), new ResetTarget.ToTimestamp(2_000));

        String next = join("t");

        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, next).orElseThrow()) {
            assertThat(coordinator.planRead(permit).reads())
                    .allSatisfy(r -> assertThat(r.offset()).isEqualTo(50));
        }
    }

    @Test
    void onlyAnEmptyGroupCanBeDeletedAndItsOffsetsGoWithIt() {
        String id = join("t");
        coordinator.commit(GROUP, id, Map.of(tp(0), 10L));
        assertError(ErrorCode.GROUP_NOT_EMPTY, () -> coordinator.deleteGroup(GROUP));

        coordinator.deleteInstance(GROUP, id);
        coordinator.deleteGroup(GROUP);

        assertError(ErrorCode.CONSUMER_GROUP_NOT_FOUND, () -> coordinator.describe(GROUP));
        assertThat(store.committed(GROUP)).isEmpty();
        assertThat(coordinator.listGroups()).isEmpty();
        assertError(ErrorCode.CONSUMER_GROUP_NOT_FOUND, () -> coordinator.deleteGroup(GROUP));
    }

    @Test
    void aDeletedGroupCanBeCreatedAgainFromScratch() {
        coordinator.deleteInstance(GROUP, join("t"));
        coordinator.deleteGroup(GROUP);

        String id = join("t");

        assertThat(coordinator.assignment(GROUP, id).generation()).isEqualTo(1);
        assertThat(coordinator.describe(GROUP).partitions())
                .allSatisfy(l -> assertThat(l.committed()).isEmpty());
    }

    @Test
    void aGroupWhoseLastInstanceExpiredCanBeDeletedWithoutATick() {
        join("t");
        clock.advanceMillis(LEASE_MS);

        coordinator.deleteGroup(GROUP);

        assertThat(coordinator.listGroups()).isEmpty();
    }

    @Test
    void deletedTopicsDropOutOfTheView() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        topics.create("gone", 1);
        coordinator.assign(GROUP, id, List.of(new TopicPartition("gone", 0)));
        coordinator.commit(GROUP, id, Map.of(new TopicPartition("gone", 0), 0L));

        topics.delete("gone");

        assertThat(coordinator.describe(GROUP).partitions()).isEmpty();
    }
}
