package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PositionsTest extends CoordinatorFixture {

    @BeforeEach
    void records() {
        for (int p = 0; p < 6; p++) {
            topics.append(tp(p), 10, 1_000);
            topics.append(tp(p), 10, 2_000);
        }
    }

    private String manualOn(int partition, AutoOffsetReset reset) {
        String id = coordinator
                .createInstance(GROUP, manualCommit().withAutoOffsetReset(reset))
                .instanceId();
        coordinator.assign(GROUP, id, List.of(tp(partition)));
        return id;
    }

    private ReadPlan plan(String id) {
        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, id).orElseThrow()) {
            return coordinator.planRead(permit);
        }
    }

    @Test
    void aNewlyOwnedPartitionStartsAtTheCommittedOffset() {
        String first = manualOn(0, AutoOffsetReset.LATEST);
        coordinator.commit(GROUP, first, Map.of(tp(0), 7L));
        coordinator.deleteInstance(GROUP, first);

        String second = manualOn(0, AutoOffsetReset.LATEST);

        assertThat(plan(second).reads()).containsExactly(new PartitionRead(tp(0), 7, 20));
        assertThat(coordinator.positions(GROUP, second)).containsEntry(tp(0), 7L);
    }

    @Test
    void withoutACommitEarliestStartsAtTheLogStartAndLatestAtTheEnd() {
        topics.deleteBefore(tp(1), 4);

        assertThat(plan(manualOn(1, AutoOffsetReset.EARLIEST)).reads().get(0).offset())
                .isEqualTo(4);
        assertThat(plan(manualOn(1, AutoOffsetReset.LATEST)).reads().get(0).offset())
                .isEqualTo(20);
    }

    @Test
    void withoutACommitNoneRefusesUntilAPositionIsSet() {
        String id = manualOn(2, AutoOffsetReset.NONE);

        assertError(ErrorCode.OFFSET_OUT_OF_RANGE, () -> plan(id)).hasMessageContaining("auto.offset.reset is none");
        coordinator.seek(GROUP, id, Map.of(tp(2), 3L));
        assertThat(plan(id).reads().get(0).offset()).isEqualTo(3);
    }

    @Test
    void whenRetentionRemovedThePositionItMovesByThePolicyOnceAndSaysSo() {
        String id = manualOn(0, AutoOffsetReset.EARLIEST);
        coordinator.seek(GROUP, id, Map.of(tp(0), 2L));
        topics.deleteBefore(tp(0), 5);

        ReadPlan first = plan(id);
        ReadPlan second = plan(id);

        assertThat(first.resets())
                .containsExactly(new PositionReset(
                        tp(0), 2, 5, AutoOffsetReset.EARLIEST, PositionReset.Reason.BEFORE_LOG_START, 5, 20));
        assertThat(first.reads().get(0).offset()).isEqualTo(5);
        assertThat(second.resets()).isEmpty();
    }

    @Test
    void aCommittedOffsetRetentionPassedIsResetAndReported() {
        String first = manualOn(3, AutoOffsetReset.LATEST);
        coordinator.commit(GROUP, first, Map.of(tp(3), 1L));
        coordinator.deleteInstance(GROUP, first);
        topics.deleteBefore(tp(3), 8);

        ReadPlan plan = plan(manualOn(3, AutoOffsetReset.LATEST));

        assertThat(plan.resets()).singleElement().satisfies(r -> {
            assertThat(r.from()).isEqualTo(1);
            assertThat(r.to()).isEqualTo(20);
        });
    }

    @Test
    void aPositionPastTheLogEndIsResetToo() {
        String id = manualOn(0, AutoOffsetReset.EARLIEST);
        coordinator.seek(GROUP, id, Map.of(tp(0), 99L));

        ReadPlan plan = plan(id);

        assertThat(plan.resets().get(0).reason()).isEqualTo(PositionReset.Reason.AFTER_LOG_END);
        assertThat(plan.reads().get(0).offset()).isZero();
    }

    @Test
    void withPolicyNoneAnOutOfRangePositionIsAnErrorNotASilentJump() {
        String id = manualOn(0, AutoOffsetReset.NONE);
        coordinator.seek(GROUP, id, Map.of(tp(0), 2L));
        topics.deleteBefore(tp(0), 5);

        assertError(ErrorCode.OFFSET_OUT_OF_RANGE, () -> plan(id)).hasMessageContaining("[5, 20]");
    }

    @Test
    void outOfRangeFoundByTheFetchIsResetByThePolicy() {
        String id = manualOn(0, AutoOffsetReset.EARLIEST);
        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, id).orElseThrow()) {
            coordinator.planRead(permit);
            topics.deleteBefore(tp(0), 12);

            PositionReset reset = coordinator.outOfRange(permit, tp(0), 12, 20);

            assertThat(reset.to()).isEqualTo(12);
        }
        assertThat(coordinator.positions(GROUP, id)).containsEntry(tp(0), 12L);
    }

    @Test
    void thePlanRotatesItsStartingPartitionSoNoPartitionStarves() {
        String id = join("t");

        List<Integer> starts = List.of(0, 1, 2, 3, 4, 5, 6).stream()
                .map(i -> plan(id).reads().get(0).partition().partition())
                .toList();

        assertThat(starts).containsExactly(0, 1, 2, 3, 4, 5, 0);
        assertThat(plan(id).reads()).hasSize(6);
    }

    @Test
    void advanceMovesPositionsPastWhatWasReturned() {
        String id = join("t");

        Map<?, Long> moved = readAndAdvance(id, 4);

        assertThat(moved).hasSize(6).allSatisfy((tp, next) -> assertThat(next).isEqualTo(4));
        assertThat(plan(id).reads()).allSatisfy(r -> assertThat(r.offset()).isEqualTo(4));
    }

    @Test
    void aSeekDuringAReadWinsOverTheReadsAdvance() {
        String id = manualOn(0, AutoOffsetReset.EARLIEST);
        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, id).orElseThrow()) {
            ReadPlan plan = coordinator.planRead(permit);
            coordinator.seek(GROUP, id, Map.of(tp(0), 15L));

            assertThat(coordinator.advance(permit, plan, Map.of(tp(0), 10L))).isEmpty();
        }
        assertThat(coordinator.positions(GROUP, id)).containsEntry(tp(0), 15L);
    }

    @Test
    void advancingAPartitionLostInARebalanceDoesNothing() {
        String first = join("t");
        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, first).orElseThrow()) {
            ReadPlan plan = coordinator.planRead(permit);
            join("t");

            Map<?, Long> moved = coordinator.advance(
                    permit, plan, Map.of(tp(0), 10L, tp(1), 10L, tp(2), 10L, tp(3), 10L, tp(4), 10L, tp(5), 10L));

            assertThat(moved).hasSize(3);
            assertThat(coordinator.positions(GROUP, first)).hasSize(3);
        }
    }

    @Test
    void seekToBeginningEndAndTimestamp() {
        String id = join("t");
        topics.deleteBefore(tp(0), 3);

        assertThat(coordinator.seekToBeginning(GROUP, id, List.of(tp(0)))).containsEntry(tp(0), 3L);
        assertThat(coordinator.seekToEnd(GROUP, id, List.of())).hasSize(6).containsEntry(tp(5), 20L);
        assertThat(coordinator.seekToTimestamp(GROUP, id, Map.of(tp(1), 1_500L, tp(2), 9_999L)))
                .containsEntry(tp(1), 10L)
                .containsEntry(tp(2), 20L);
        assertThat(coordinator.positions(GROUP, id)).containsEntry(tp(1), 10L);
    }

    @Test
    void seekingAPartitionNotOwnedIsRefused() {
        String id = manualOn(0, AutoOffsetReset.EARLIEST);

        assertError(ErrorCode.NOT_OWNER, () -> coordinator.seek(GROUP, id, Map.of(tp(1), 0L)));
        assertError(ErrorCode.NOT_OWNER, () -> coordinator.seekToEnd(GROUP, id, List.of(tp(1))));
    }
}
