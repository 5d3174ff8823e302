package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.ManualClock;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.offsets.InMemoryOffsetStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * A coordinator over in-memory topics and offsets with a manual clock: lease 10 s, no rebalance delay, auto-commit
 * interval 1 s, instance ids {@code i1, i2, ...}. Test classes extend it.
 */
abstract class CoordinatorFixture {

    static final long LEASE_MS = 10_000;
    static final String GROUP = "g";

    final ManualClock clock = new ManualClock();
    final InMemoryTopics topics = new InMemoryTopics().create("t", 6);
    final InMemoryOffsetStore store = new InMemoryOffsetStore();
    private final AtomicInteger ids = new AtomicInteger();
    GroupCoordinator coordinator =
            coordinator(GroupCoordinatorConfig.defaults().withLeaseMs(LEASE_MS).withAutoCommitIntervalMs(1_000));

    GroupCoordinator coordinator(GroupCoordinatorConfig config) {
        return new GroupCoordinator(
                config, clock, topics, topics, store, new InMemoryGroupRegistry(), () -> "i" + ids.incrementAndGet());
    }

    /** Manual commits, earliest: the usual test consumer. */
    static InstanceConfig manualCommit() {
        return InstanceConfig.defaults().withAutoCommit(false).withAutoOffsetReset(AutoOffsetReset.EARLIEST);
    }

    String join(String topic) {
        String id = coordinator.createInstance(GROUP, manualCommit()).instanceId();
        coordinator.subscribe(GROUP, id, Subscription.topics(java.util.List.of(topic)));
        return id;
    }

    static TopicPartition tp(int partition) {
        return new TopicPartition("t", partition);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertError(ErrorCode code, ThrowingCallable call) {
        return assertThatThrownBy(call)
                .isInstanceOf(SluiceException.class)
                .matches(e -> ((SluiceException) e).errorCode() == code, "error code " + code);
    }

    /** Plans one read, "returns" up to {@code max} records per partition, advances, and releases the permit. */
    java.util.SortedMap<TopicPartition, Long> readAndAdvance(String instance, int max) {
        try (ReadPermit permit = coordinator.tryAcquireRead(GROUP, instance).orElseThrow()) {
            ReadPlan plan = coordinator.planRead(permit);
            java.util.Map<TopicPartition, Long> next = new java.util.TreeMap<>();
            for (PartitionRead read : plan.reads()) {
                next.put(read.partition(), Math.min(read.logEndOffset(), read.offset() + max));
            }
            return coordinator.advance(permit, plan, next);
        }
    }
}
