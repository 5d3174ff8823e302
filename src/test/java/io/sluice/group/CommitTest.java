package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommitTest extends CoordinatorFixture {

    @BeforeEach
    void records() {
        for (int p = 0; p < 6; p++) {
            topics.append(tp(p), 100, 1_000);
        }
    }

    private long committed(int partition) {
        return store.committed(GROUP).get(tp(partition)).offset();
    }

    @Test
    void aCommitOfOwnedPartitionsIsStored() {
        String id = join("t");

        coordinator.commit(GROUP, id, Map.of(tp(0), 5L, tp(1), 6L));

        assertThat(committed(0)).isEqualTo(5);
        assertThat(coordinator.committed(GROUP, id, List.of(tp(1))))
                .hasEntrySatisfying(tp(1), c -> assertThat(c.offset()).isEqualTo(6));
        assertThat(coordinator.committed(GROUP, id, List.of())).hasSize(2);
    }

    @Test
    void aCommitIncludingAPartitionNotOwnedIsRefusedAndWritesNothing() {
        String a = join("t");
        join("t");
        int notMine = coordinator.assignment(GROUP, a).partitions().contains(tp(0)) ? 5 : 0;
        int mine = notMine == 0 ? 5 : 0;

        assertError(ErrorCode.NOT_OWNER, () -> coordinator.commit(GROUP, a, Map.of(tp(mine), 1L, tp(notMine), 1L)))
                .hasMessageContaining("does not own");
        assertThat(store.committed(GROUP)).isEmpty();
    }

    /** The central promise: a member that lost a partition cannot move the new owner's offset back. */
    @Test
    void aStaleMemberCannotMoveACommittedOffsetBackwards() {
        String old = join("t");
        readAndAdvance(old, 10);
        coordinator.commitPositions(GROUP, old);
        String replacement = join("t");
        int moved =
                coordinator.assignment(GROUP, replacement).partitions().first().partition();
        readAndAdvance(replacement, 30);
        coordinator.commitPositions(GROUP, replacement);
        assertThat(committed(moved)).isEqualTo(40);

        assertError(ErrorCode.NOT_OWNER, () -> coordinator.commit(GROUP, old, Map.of(tp(moved), 10L)));
        coordinator.commitPositions(GROUP, old);

        assertThat(committed(moved)).isEqualTo(40);
    }

    @Test
    void anExpiredMemberCannotCommit() {
        String id = join("t");
        clock.advanceMillis(LEASE_MS);

        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.commit(GROUP, id, Map.of(tp(0), 1L)));
        assertThat(store.committed(GROUP)).isEmpty();
    }

    @Test
    void anEmptyCommitCommitsEverythingReturnedSoFar() {
        String id = join("t");
        readAndAdvance(id, 7);

        Map<?, Long> committed = coordinator.commitPositions(GROUP, id);

        assertThat(committed)
                .hasSize(6)
                .allSatisfy((tp, offset) -> assertThat(offset).isEqualTo(7));
    }

    @Test
    void negativeOffsetsAreInvalid() {
        String id = join("t");

        assertError(ErrorCode.INVALID_VALUE, () -> coordinator.commit(GROUP, id, Map.of(tp(0), -1L)));
    }

    @Test
    void autoCommitCommitsReturnedRecordsAtTheNextReadAfterTheInterval() {
        String id = coordinator
                .createInstance(GROUP, manualCommit().withAutoCommit(true))
                .instanceId();
        coordinator.subscribe(GROUP, id, Subscription.topics(List.of("t")));
        readAndAdvance(id, 3);
        readAndAdvance(id, 3);
        assertThat(store.committed(GROUP)).isEmpty();

        clock.advanceMillis(1_000);
        readAndAdvance(id, 3);

        assertThat(committed(0)).isEqualTo(6);
    }

    @Test
    void autoCommitCommitsPartitionsTakenAwayInARebalance() {
        String id = coordinator
                .createInstance(GROUP, manualCommit().withAutoCommit(true))
                .instanceId();
        coordinator.subscribe(GROUP, id, Subscription.topics(List.of("t")));
        readAndAdvance(id, 4);

        String other = join("t");

        for (var tp : coordinator.assignment(GROUP, other).partitions()) {
            assertThat(committed(tp.partition())).isEqualTo(4);
        }
    }

    @Test
    void autoCommitCommitsOnDeleteButNotWhenTheLeaseExpires() {
        String leaving = coordinator
                .createInstance(GROUP, manualCommit().withAutoCommit(true))
                .instanceId();
        coordinator.assign(GROUP, leaving, List.of(tp(0)));
        String dying = coordinator
                .createInstance(GROUP, manualCommit().withAutoCommit(true))
                .instanceId();
        coordinator.assign(GROUP, dying, List.of(tp(1)));
        readAndAdvance(leaving, 5);
        readAndAdvance(dying, 5);

        coordinator.deleteInstance(GROUP, leaving);
        clock.advanceMillis(LEASE_MS);
        coordinator.expireLeases();

        assertThat(store.committed(GROUP)).containsOnlyKeys(tp(0));
    }
}
