package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstanceLifecycleTest extends CoordinatorFixture {

    @Test
    void aNewInstanceGetsAnIdAndALeaseThatIsVisible() {
        long now = clock.milliseconds();

        InstanceInfo info = coordinator.createInstance(GROUP, manualCommit());

        assertThat(info.instanceId()).isEqualTo("i1");
        assertThat(info.leaseMs()).isEqualTo(LEASE_MS);
        assertThat(info.leaseExpiresAt()).isEqualTo(now + LEASE_MS);
        assertThat(info.config().name()).isEqualTo("i1");
    }

    @Test
    void theTickIsNeededWhileAnInstanceLivesAndEveryCreationSaysSo() {
        AtomicInteger created = new AtomicInteger();
        coordinator.whenInstanceCreated(created::incrementAndGet);
        assertThat(coordinator.hasInstances()).isFalse();

        String first = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        coordinator.createInstance("other", manualCommit());
        assertThat(created).hasValue(2);
        assertThat(coordinator.hasInstances()).isTrue();

        coordinator.deleteInstance(GROUP, first);
        assertThat(coordinator.hasInstances()).as("one left in the other group").isTrue();
        clock.advanceMillis(LEASE_MS);
        coordinator.tick();
        assertThat(coordinator.hasInstances()).as("the last one expired").isFalse();
    }

    @Test
    void aNamedInstanceKeepsItsNameAndASecondOneWithTheSameNameIsRefused() {
        coordinator.createInstance(GROUP, manualCommit().withName("alice"));

        assertThat(coordinator.instance(GROUP, "alice").instanceId()).isEqualTo("alice");
        assertError(
                ErrorCode.ALREADY_EXISTS,
                () -> coordinator.createInstance(GROUP, manualCommit().withName("alice")));
    }

    @Test
    void everyCallRenewsTheLease() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        for (int i = 0; i < 5; i++) {
            clock.advanceMillis(LEASE_MS - 1);
            coordinator.assignment(GROUP, id);
        }

        assertThat(coordinator.instance(GROUP, id).lastSeen()).isEqualTo(clock.milliseconds());
        assertThat(coordinator.expireLeases()).isZero();
    }

    @Test
    void anInstanceSilentForItsLeaseIsGoneAndTheErrorSaysItExpired() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();

        clock.advanceMillis(LEASE_MS);

        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.assignment(GROUP, id))
                .hasMessageContaining("expired")
                .hasMessageContaining("lease of 10000 ms");
    }

    @Test
    void aDeletedInstanceIsGoneAndTheErrorSaysSo() {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();

        coordinator.deleteInstance(GROUP, id);

        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.positions(GROUP, id))
                .hasMessageContaining("was deleted");
    }

    @Test
    void anUnknownInstanceOrGroupIsNotFound() {
        coordinator.createInstance(GROUP, manualCommit());

        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.assignment(GROUP, "nobody"));
        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.assignment("other", "i1"));
    }

    @Test
    void expireLeasesRemovesSilentMembersAndHandsTheirPartitionsToTheLiveOnes() {
        String alive = join("t");
        String silent = join("t");
        int generation = coordinator.assignment(GROUP, alive).generation();

        clock.advanceMillis(LEASE_MS / 2);
        coordinator.assignment(GROUP, alive);
        clock.advanceMillis(LEASE_MS / 2);

        assertThat(coordinator.expireLeases()).isEqualTo(1);
        Assignment after = coordinator.assignment(GROUP, alive);
        assertThat(after.partitions()).hasSize(6);
        assertThat(after.generation()).isEqualTo(generation + 1);
        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.assignment(GROUP, silent))
                .hasMessageContaining("expired");
    }

    @Test
    void theFirstInstanceChoosesTheStrategyAndALaterDifferentChoiceIsAConflict() {
        coordinator.createInstance(GROUP, manualCommit().withAssignor("range"));

        assertError(
                ErrorCode.CONFLICT,
                () -> coordinator.createInstance(GROUP, manualCommit().withAssignor("sticky")));
        assertThat(coordinator.describe(GROUP).assignor()).isEqualTo("range");
        assertError(
                ErrorCode.INVALID_VALUE,
                () -> coordinator.createInstance("h", manualCommit().withAssignor("x")));
    }

    @Test
    void aNameCanBeReusedAfterTheInstanceExpired() {
        coordinator.createInstance(GROUP, manualCommit().withName("bob"));
        clock.advanceMillis(LEASE_MS);
        coordinator.expireLeases();

        InstanceInfo again = coordinator.createInstance(GROUP, manualCommit().withName("bob"));

        assertThat(again.instanceId()).isEqualTo("bob");
        assertThat(coordinator.assignment(GROUP, "bob").partitions()).isEmpty();
        assertThat(coordinator.subscription(GROUP, "bob")).isEmpty();
        assertThat(List.of(coordinator.describe(GROUP).members().get(0).instanceId()))
                .containsExactly("bob");
    }

    @Test
    void anInstanceKeepsItsOwnerAndAskingForItDoesNotRenewTheLease() {
        String owned =
                coordinator.createInstance(GROUP, manualCommit(), "alice").instanceId();
        String unowned = coordinator.createInstance(GROUP, manualCommit()).instanceId();

        assertThat(coordinator.owner(GROUP, owned)).contains("alice");
        assertThat(coordinator.owner(GROUP, unowned)).isEmpty();
        assertThat(coordinator.owner(GROUP, "nobody")).isEmpty();
        assertThat(coordinator.owner("no-such-group", owned)).isEmpty();

        clock.advanceMillis(LEASE_MS - 1);
        coordinator.instance(GROUP, unowned); // keeps the group alive, not alice's instance
        clock.advanceMillis(1);
        assertThat(coordinator.owner(GROUP, owned))
                .as("expired, though asked for")
                .isEmpty();
        assertThat(coordinator.owner(GROUP, unowned)).isEmpty();
    }
}
