package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RebalanceTest extends CoordinatorFixture {

    @Test
    void subscribingJoinsAtOnceAndStartsTheFirstGeneration() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        assertThat(coordinator.describe(GROUP).state()).isEqualTo(GroupState.STABLE);
        assertThat(coordinator.assignment(GROUP, id).generation()).isZero();

        Assignment assignment = coordinator.subscribe(GROUP, id, Subscription.topics(List.of("t")));

        assertThat(assignment.generation()).isEqualTo(1);
        assertThat(assignment.state()).isEqualTo(GroupState.STABLE);
        assertThat(assignment.partitions()).hasSize(6);
        assertThat(assignment.manual()).isFalse();
    }

    @Test
    void aSecondMemberTakesHalfAndTheFirstKeepsTheRest() {
        String first = join("t");
        String second = join("t");

        Assignment a = coordinator.assignment(GROUP, first);
        Assignment b = coordinator.assignment(GROUP, second);

        assertThat(a.generation()).isEqualTo(2);
        assertThat(a.partitions()).hasSize(3);
        assertThat(b.partitions()).hasSize(3);
        assertThat(new TreeSet<>(a.partitions())).doesNotContainAnyElementsOf(b.partitions());
    }

    @Test
    void resubscribingToTheSameTopicsDoesNotStartAGeneration() {
        String id = join("t");

        Assignment again = coordinator.subscribe(GROUP, id, Subscription.topics(List.of("t")));

        assertThat(again.generation()).isEqualTo(1);
    }

    @Test
    void aLeavingMemberHandsItsPartitionsToTheOthers() {
        String first = join("t");
        String second = join("t");
        Set<TopicPartition> firstBefore = coordinator.assignment(GROUP, first).partitions();

        coordinator.deleteInstance(GROUP, second);

        Assignment after = coordinator.assignment(GROUP, first);
        assertThat(after.partitions()).hasSize(6).containsAll(firstBefore);
        assertThat(after.generation()).isEqualTo(3);
    }

    @Test
    void unsubscribingLeavesTheAssignmentButKeepsTheInstance() {
        String first = join("t");
        String second = join("t");

        coordinator.unsubscribe(GROUP, second);

        assertThat(coordinator.assignment(GROUP, second).partitions()).isEmpty();
        assertThat(coordinator.assignment(GROUP, first).partitions()).hasSize(6);
        assertThat(coordinator.subscription(GROUP, second)).isEmpty();
    }

    @Test
    void theLastInstanceLeavingEmptiesTheGroup() {
        String id = join("t");

        coordinator.deleteInstance(GROUP, id);

        GroupView view = coordinator.describe(GROUP);
        assertThat(view.state()).isEqualTo(GroupState.EMPTY);
        assertThat(view.generation()).isEqualTo(2);
        assertThat(view.members()).isEmpty();
    }

    @Test
    void newPartitionsOfASubscribedTopicStartANewGeneration() {
        String id = join("t");

        topics.addPartitions("t", 8);
        coordinator.topicsChanged();

        Assignment after = coordinator.assignment(GROUP, id);
        assertThat(after.partitions()).hasSize(8);
        assertThat(after.generation()).isEqualTo(2);
    }

    @Test
    void aReadNoticesNewPartitionsWithoutAnyTick() {
        String id = join("t");
        topics.addPartitions("t", 7);

        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, id).orElseThrow()) {
            assertThat(coordinator.planRead(permit).reads()).hasSize(7);
        }
    }

    @Test
    void aStableGroupsReadsLookAtTheTopicsAgainOnlyOnceTheyChanged() {
        String id = join("t");
        assertThat(readPlan(id)).hasSize(6);
        int asked = topics.namesAsked();

        for (int i = 0; i < 5; i++) {
            assertThat(readPlan(id)).hasSize(6);
        }
        assertThat(topics.namesAsked()).isEqualTo(asked);

        topics.addPartitions("t", 7);
        assertThat(readPlan(id)).hasSize(7);
        assertThat(topics.namesAsked()).isGreaterThan(asked);
    }

    private List<?> readPlan(String instance) {
        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, instance).orElseThrow()) {
            return coordinator.planRead(permit).reads();
        }
    }

    @Test
    void aPatternSubscriptionPicksUpNewMatchingTopics() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        coordinator.subscribe(GROUP, id, Subscription.pattern("t|orders-.*"));
        topics.create("orders-eu", 2).create("other", 3);

        coordinator.topicsChanged();

        Assignment after = coordinator.assignment(GROUP, id);
        assertThat(after.partitions()).hasSize(8).contains(new TopicPartition("orders-eu", 1));
        assertThat(after.partitions()).noneMatch(tp -> tp.topic().equals("other"));
        assertThat(after.generation()).isEqualTo(2);
    }

    @Test
    void aSubscribedTopicCreatedLaterIsAssignedOnceItExists() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        coordinator.subscribe(GROUP, id, Subscription.topics(List.of("later")));
        assertThat(coordinator.assignment(GROUP, id).partitions()).isEmpty();

        topics.create("later", 2);
        coordinator.topicsChanged();

        assertThat(coordinator.assignment(GROUP, id).partitions()).hasSize(2);
    }

    @Test
    void aRebalanceDelayTurnsABurstOfJoinsIntoOneGeneration() {
        coordinator = coordinator(
                GroupCoordinatorConfig.defaults().withLeaseMs(LEASE_MS).withRebalanceDelayMs(3_000));
        String a = join("t");
        String b = join("t");
        assertThat(coordinator.describe(GROUP).state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(coordinator.assignment(GROUP, a).partitions()).isEmpty();

        clock.advanceMillis(3_000);
        coordinator.tick();

        assertThat(coordinator.describe(GROUP).state()).isEqualTo(GroupState.STABLE);
        assertThat(coordinator.assignment(GROUP, a).generation()).isEqualTo(1);
        assertThat(coordinator.assignment(GROUP, a).partitions()).hasSize(3);
        assertThat(coordinator.assignment(GROUP, b).partitions()).hasSize(3);
    }

    @Test
    void whilePreparingExistingMembersKeepTheirPartitionsAndNewOnesWait() {
        coordinator = coordinator(
                GroupCoordinatorConfig.defaults().withLeaseMs(LEASE_MS).withRebalanceDelayMs(3_000));
        String a = join("t");
        clock.advanceMillis(3_000);
        coordinator.tick();

        String b = join("t");

        assertThat(coordinator.assignment(GROUP, a).state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(coordinator.assignment(GROUP, a).partitions()).hasSize(6);
        assertThat(coordinator.assignment(GROUP, b).partitions()).isEmpty();
        coordinator.commit(GROUP, a, java.util.Map.of(tp(0), 0L));
    }

    @Test
    void aWaitingReadIsWokenWhenTheNextGenerationStarts() {
        String first = join("t");
        int known = coordinator.assignment(GROUP, first).generation();
        java.util.concurrent.CompletableFuture<Integer> next = coordinator.generationAfter(GROUP, first, known);
        assertThat(next).isNotDone();

        join("t");

        assertThat(next).isCompletedWithValue(known + 1);
        assertThat(coordinator.generationAfter(GROUP, first, known)).isCompletedWithValue(known + 1);
    }

    @Test
    void manualAssignmentOwnsExactlyTheGivenPartitionsWithoutGroupManagement() {
        String member = join("t");
        String manual = coordinator.createInstance(GROUP, manualCommit()).instanceId();

        Assignment assignment = coordinator.assign(GROUP, manual, List.of(tp(4)));

        assertThat(assignment.manual()).isTrue();
        assertThat(assignment.partitions()).containsExactly(tp(4));
        assertThat(coordinator.assignment(GROUP, member).generation()).isEqualTo(1);
        coordinator.commit(GROUP, manual, java.util.Map.of(tp(4), 0L));
    }

    @Test
    void subscriptionAndManualAssignmentExcludeEachOther() {
        String member = join("t");
        String manual = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        coordinator.assign(GROUP, manual, List.of(tp(1)));

        assertError(ErrorCode.CONFLICT, () -> coordinator.assign(GROUP, member, List.of(tp(1))));
        assertError(ErrorCode.CONFLICT, () -> coordinator.subscribe(GROUP, manual, Subscription.pattern("t")));
    }

    @Test
    void assigningPartitionsThatDoNotExistIsRefused() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();

        assertError(ErrorCode.PARTITION_NOT_FOUND, () -> coordinator.assign(GROUP, id, List.of(tp(6))));
        assertError(
                ErrorCode.TOPIC_NOT_FOUND, () -> coordinator.assign(GROUP, id, List.of(new TopicPartition("nope", 0))));
    }

    @Test
    void aBadPatternIsAnInvalidValue() {
        assertError(ErrorCode.INVALID_VALUE, () -> Subscription.pattern("t("));
    }
}
