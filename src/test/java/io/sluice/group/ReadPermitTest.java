package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadPermitTest extends CoordinatorFixture {

    @Test
    void aSecondReadIsRefusedWhileTheFirstHoldsThePermit() {
        String id = join("t");
        ReadPermit first = coordinator.tryAcquireRead(GROUP, id).orElseThrow();

        assertThat(coordinator.tryAcquireRead(GROUP, id)).isEmpty();

        first.close();
        assertThat(coordinator.tryAcquireRead(GROUP, id)).isPresent();
    }

    @Test
    void waitingReadsGetThePermitInArrivalOrder() {
        String id = join("t");
        ReadPermit first = coordinator.acquireRead(GROUP, id).join();
        CompletableFuture<ReadPermit> second = coordinator.acquireRead(GROUP, id);
        CompletableFuture<ReadPermit> third = coordinator.acquireRead(GROUP, id);
        assertThat(second).isNotDone();

        first.close();
        assertThat(second).isCompleted();
        assertThat(third).isNotDone();

        second.join().close();
        assertThat(third).isCompleted();
    }

    @Test
    void aWaiterThatGaveUpIsSkipped() {
        String id = join("t");
        ReadPermit first = coordinator.acquireRead(GROUP, id).join();
        CompletableFuture<ReadPermit> impatient = coordinator.acquireRead(GROUP, id);
        CompletableFuture<ReadPermit> patient = coordinator.acquireRead(GROUP, id);

        impatient.cancel(false);
        first.close();

        assertThat(patient).isCompleted();
    }

    @Test
    void closingAPermitTwiceReleasesOnlyOnce() {
        String id = join("t");
        ReadPermit first = coordinator.acquireRead(GROUP, id).join();
        CompletableFuture<ReadPermit> second = coordinator.acquireRead(GROUP, id);
        first.close();

        first.close();

        assertThat(second).isCompleted();
        assertThat(coordinator.tryAcquireRead(GROUP, id)).isEmpty();
        assertThatThrownBy(() -> coordinator.planRead(first)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void waitersFailAndPermitsAreRefusedOnceTheInstanceExpired() {
        coordinator.createInstance(GROUP, manualCommit().withName("reader"));
        ReadPermit held = coordinator.acquireRead(GROUP, "reader").join();
        CompletableFuture<ReadPermit> waiting = coordinator.acquireRead(GROUP, "reader");

        clock.advanceMillis(LEASE_MS);
        coordinator.expireLeases();
        coordinator.createInstance(GROUP, manualCommit().withName("reader"));

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(SluiceException.class);
        // the old permit belongs to the expired incarnation, not to the new instance with the same name
        assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> coordinator.planRead(held));
        assertThat(coordinator.tryAcquireRead(GROUP, "reader")).isPresent();
    }

    @Test
    void aPermitHeldPastTheTimeoutIsReclaimedAndTheOldHolderIsRefused() {
        coordinator = coordinator(
                GroupCoordinatorConfig.defaults().withLeaseMs(LEASE_MS).withReadPermitTimeoutMs(5_000));
        String id = join("t");
        ReadPermit lost = coordinator.tryAcquireRead(GROUP, id).orElseThrow();

        clock.advanceMillis(4_999);
        assertThat(coordinator.tryAcquireRead(GROUP, id)).isEmpty();
        clock.advanceMillis(1);
        ReadPermit retry = coordinator.tryAcquireRead(GROUP, id).orElseThrow();

        assertError(ErrorCode.CONFLICT, () -> coordinator.planRead(lost)).hasMessageContaining("reclaimed");
        assertThat(coordinator.planRead(retry).reads()).hasSize(6);
        lost.close(); // a late close of the reclaimed permit must not free the new holder's permit
        assertThat(coordinator.tryAcquireRead(GROUP, id)).isEmpty();
    }

    @Test
    void aWaitingReadGetsAnAbandonedPermitAtTheNextTick() {
        coordinator = coordinator(
                GroupCoordinatorConfig.defaults().withLeaseMs(LEASE_MS).withReadPermitTimeoutMs(5_000));
        String id = join("t");
        coordinator.acquireRead(GROUP, id).join();
        CompletableFuture<ReadPermit> waiting = coordinator.acquireRead(GROUP, id);

        clock.advanceMillis(5_000);
        coordinator.tick();

        assertThat(waiting).isCompleted();
        assertThat(coordinator.planRead(waiting.join()).reads()).hasSize(6);
    }

    /** Completing a waiter runs its callbacks; doing that inside the group's monitor could deadlock other callers. */
    @Test
    void waitersAreFailedOnlyAfterTheGroupsMonitorIsReleased() {
        String id = join("t");
        coordinator.acquireRead(GROUP, id).join();
        CompletableFuture<ReadPermit> waiting = coordinator.acquireRead(GROUP, id);
        CompletableFuture<Boolean> otherThreadGotIn = new CompletableFuture<>();
        waiting.whenComplete((permit, error) -> {
            CompletableFuture<GroupView> other = CompletableFuture.supplyAsync(() -> coordinator.describe(GROUP));
            try {
                other.get(5, TimeUnit.SECONDS);
                otherThreadGotIn.complete(true);
            } catch (Exception e) {
                otherThreadGotIn.complete(false);
            }
        });

        clock.advanceMillis(LEASE_MS);
        coordinator.expireLeases();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(otherThreadGotIn.join()).isTrue();
    }

    /**
     * Many threads read the same instance at once; thanks to the permit no two reads overlap, so every offset of
     * every partition is handed out exactly once.
     */
    @Test
    void concurrentReadsOfOneInstanceNeverReturnTheSameRecordsTwice() throws Exception {
        for (int p = 0; p < 6; p++) {
            topics.append(tp(p), 500, 1);
        }
        String id = join("t");
        Map<TopicPartition, Set<Long>> handedOut = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                readers.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        try (ReadPermit permit =
                                coordinator.acquireRead(GROUP, id).get(10, TimeUnit.SECONDS)) {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            ReadPlan plan = coordinator.planRead(permit);
                            Map<TopicPartition, Long> next = new TreeMap<>();
                            for (PartitionRead r : plan.reads()) {
                                long end = Math.min(r.logEndOffset(), r.offset() + 3);
                                for (long o = r.offset(); o < end; o++) {
                                    if (!handedOut
                                            .computeIfAbsent(r.partition(), k -> ConcurrentHashMap.newKeySet())
                                            .add(o)) {
                                        duplicates.incrementAndGet();
                                    }
                                }
                                next.put(r.partition(), end);
                            }
                            coordinator.advance(permit, plan, next);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            pool.shutdownNow();
        }

        assertThat(overlaps).hasValue(0);
        assertThat(duplicates).hasValue(0);
        assertThat(handedOut.values())
                .hasSize(6)
                .allSatisfy(offsets -> assertThat(offsets).hasSize(500));
    }
}
