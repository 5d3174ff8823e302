package io.sluice.fetch;

import io.sluice.common.Clock;
import io.sluice.group.GroupCoordinator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Long-poll reads for consumer-group instances: one read covers every partition the instance owns, from its
 * positions, and answers as soon as any of them has records (or empty after the timeout). The steps follow the
 * coordinator's read protocol (see {@link GroupRead}): the instance's read permit serialises concurrent reads of one
 * instance, so a retried long-poll waits for the first one and then reads from where it left off, never handing the
 * same records out twice.
 *
 * <p>A read holds no thread while it waits: it parks futures on the {@link FetchService} (woken by appends) and on
 * the coordinator (woken by a new generation). Coordinator and storage calls run on the storage executor. The wait is
 * capped at {@code maxWaitMs} and at half the instance lease, so a waiting read never lets its own instance expire.
 * Thread-safe.
 */
public final class GroupFetchService {

    private final GroupCoordinator coordinator;
    private final FetchService fetch;
    private final Executor storageExecutor;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final long maxWaitMs;
    private final Set<GroupRead<?, ?>> active = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public GroupFetchService(
            GroupCoordinator coordinator,
            FetchService fetch,
            Executor storageExecutor,
            ScheduledExecutorService timer,
            Clock clock,
            long maxWaitMs) {
        this.coordinator = coordinator;
        this.fetch = fetch;
        this.storageExecutor = storageExecutor;
        this.timer = timer;
        this.clock = clock;
        this.maxWaitMs = maxWaitMs;
    }

    /** The longest a read may wait: the configured maximum, and at most half the lease. */
    public long maxWaitMs() {
        return Math.min(maxWaitMs, coordinator.config().leaseMs() / 2);
    }

    /**
     * Completes with the records (possibly none), or exceptionally with a {@code SluiceException} (instance not found
     * or expired, offset out of range with {@code auto.offset.reset=none}, ...). Cancelling the future ends the read
     * and gives its permit back; positions move only for records in a completed result.
     */
    public CompletableFuture<GroupReadResult> read(GroupReadRequest request) {
        return start(request, GroupShape.RECORDS);
    }

    /**
     * Like {@link #read}, with the same positions, permit and waiting, but answers with the stored record batches
     * (whole, so {@code maxRecords} does not apply); each partition's position moves past its last batch.
     */
    public CompletableFuture<GroupBatchesResult> readBatches(GroupReadRequest request) {
        return start(request, GroupShape.BATCHES);
    }

    private <T, R> CompletableFuture<R> start(GroupReadRequest request, GroupShape<T, R> shape) {
        long waitMs = stopping ? 0 : Math.max(0, Math.min(request.timeoutMs(), maxWaitMs()));
        GroupRead<T, R> read = new GroupRead<>(
                coordinator,
                fetch,
                storageExecutor,
                timer,
                clock,
                request,
                shape,
                clock.nanoseconds() + waitMs * 1_000_000L);
        active.add(read);
        read.result().whenComplete((answer, error) -> active.remove(read));
        if (stopping) {
            read.stop(); // stopWaiting ran between the check above and the add
        }
        read.start();
        return read.result();
    }

    /** Answers every waiting read now with what it has and makes later reads answer at once (shutdown). */
    public void stopWaiting() {
        stopping = true;
        active.forEach(GroupRead::stop);
    }

    /** Undoes {@link #stopWaiting()} for later reads (a paused application resumed). */
    public void resumeWaiting() {
        stopping = false;
    }
}
