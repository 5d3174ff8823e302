package io.sluice.fetch;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.PartitionRead;
import io.sluice.group.PositionReset;
import io.sluice.group.ReadPermit;
import io.sluice.group.ReadPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One group read in progress. Steps, each running when the previous one completed (never two at once):
 *
 * <ol>
 *   <li><b>permit</b>: wait for the instance's read permit until the deadline (then answer empty);
 *   <li><b>plan</b>: the coordinator says which partitions to read from which positions (rotating); when the
 *       permit is free at once, permit and plan are one step on the executor;
 *   <li>if a planned partition has data, <b>fetch</b> every such partition at once, each with a fair share of the
 *       record and byte limits; an out-of-range answer (retention ran after the plan) resets that position by the
 *       instance's policy; then <b>advance</b> the positions past what is returned and answer;
 *   <li>else <b>wait</b> for the first of: an append to any planned partition, a new generation, the deadline or
 *       shutdown; then plan again.
 * </ol>
 *
 * The permit is closed and every parked future cancelled before the result completes (answer, error), or when it is
 * cancelled by the caller, so a next read sent on the answer finds the instance free. A partition read that is not
 * handed out (control batches only, too few bytes for {@code fetch.min.bytes}, a position moved meanwhile, an error,
 * a cancelled read) is released at once ({@link GroupShape#release}): batch reads hold pooled memory. Thread-safe: the result may be
 * cancelled from any thread while a step runs. One read serves one {@link GroupShape}: records or stored batches.
 */
final class GroupRead<T, R> {

    /** Error wake-ups in a row (e.g. a topic deleted under a waiting read) before the error is reported. */
    private static final int MAX_ERROR_WAKEUPS = 5;

    private final GroupCoordinator coordinator;
    private final FetchService fetch;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final GroupReadRequest request;
    private final GroupShape<T, R> shape;
    private final long deadlineNanos;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final ParkedFutures parked = new ParkedFutures();
    private final List<PositionReset> resets = new ArrayList<>();
    private ReadPermit permit;
    private int errorWakeups;

    GroupRead(
            GroupCoordinator coordinator,
            FetchService fetch,
            Executor executor,
            ScheduledExecutorService timer,
            Clock clock,
            GroupReadRequest request,
            GroupShape<T, R> shape,
            long deadlineNanos) {
        this.coordinator = coordinator;
        this.fetch = fetch;
        this.executor = executor;
        this.timer = timer;
        this.clock = clock;
        this.request = request;
        this.shape = shape;
        this.deadlineNanos = deadlineNanos;
    }

    CompletableFuture<R> result() {
        return result;
    }

    /** Ends the waiting: the read answers with what it has at once (shutdown). */
    void stop() {
        stopped.complete(null);
    }

    void start() {
        result.whenComplete((answer, error) -> cleanUp());
        call(this::permitAndPlan).whenComplete((first, error) -> {
            if (error != null) {
                fail(error);
            } else if (first.plan() != null) {
                planned(first.plan());
            } else if (first.pending() != null) {
                awaitPermit(first.pending());
            } // else the read ended before it held the permit, which holdPermit gave back
        });
    }

    /**
     * The first step, on the storage executor: asks for the permit and, when it is free at once (the usual case: one
     * reader per instance), also plans, so the two take one hand-over to the executor instead of two.
     */
    private FirstStep permitAndPlan() {
        CompletableFuture<ReadPermit> pending = coordinator.acquireRead(request.group(), request.instanceId());
        if (!pending.isDone() || pending.isCompletedExceptionally()) {
            return new FirstStep(pending, null);
        }
        ReadPermit granted = pending.join();
        if (!holdPermit(granted)) {
            return new FirstStep(null, null);
        }
        return new FirstStep(null, coordinator.planRead(granted));
    }

    private void awaitPermit(CompletableFuture<ReadPermit> pending) {
        park(pending);
        ScheduledFuture<?> giveUp = timer.schedule(() -> pending.cancel(false), remainingMs(), TimeUnit.MILLISECONDS);
        stopped.thenRun(() -> pending.cancel(false));
        pending.whenComplete((granted, error) -> {
            giveUp.cancel(false);
            if (error != null) {
                if (unwrap(error) instanceof CancellationException) {
                    answer(0, List.of()); // another read of the instance held the permit until the deadline
                } else {
                    fail(error);
                }
            } else if (holdPermit(granted)) {
                plan();
            }
        });
    }

    private void plan() {
        call(() -> coordinator.planRead(permit)).whenComplete((plan, error) -> {
            if (error != null) {
                fail(error);
            } else {
                planned(plan);
            }
        });
    }

    private void planned(ReadPlan plan) {
        synchronized (this) {
            resets.addAll(plan.resets());
        }
        if (plan.hasData()) {
            fetchPlanned(plan);
        } else if (remainingMs() <= 0) {
            answer(plan.generation(), List.of());
        } else {
            waitForData(plan, Map.of());
        }
    }

    private void fetchPlanned(ReadPlan plan) {
        List<PartitionRead> withData =
                plan.reads().stream().filter(PartitionRead::hasData).toList();
        int records = Math.max(1, request.maxRecords() / withData.size());
        int bytes = Math.max(1, request.maxBytes() / withData.size());
        List<CompletableFuture<Fetched<T>>> reads = new ArrayList<>();
        for (PartitionRead read : withData) {
            TopicPartition tp = read.partition();
            FetchRequest one = new FetchRequest(tp.topic(), tp.partition(), read.offset(), bytes, records, 0);
            reads.add(park(fetchNow(one, shape))
                    .handle((fetched, error) -> new Fetched<>(read, fetched, error == null ? null : unwrap(error))));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenRun(() -> afterFetch(
                        plan, reads.stream().map(CompletableFuture::join).toList()));
    }

    private void afterFetch(ReadPlan plan, List<Fetched<T>> fetched) {
        if (result.isDone()) {
            release(fetched); // cancelled while the fetches ran
            return;
        }
        List<Fetched<T>> withRecords = new ArrayList<>();
        List<TopicPartition> outOfRange = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        long bytes = 0;
        for (Fetched<T> f : fetched) {
            if (f.error() != null) {
                if (!isCode(f.error(), ErrorCode.OFFSET_OUT_OF_RANGE) && !gone(f.error())) {
                    release(fetched);
                    fail(f.error());
                    return;
                }
                if (isCode(f.error(), ErrorCode.OFFSET_OUT_OF_RANGE)) {
                    outOfRange.add(f.read().partition());
                }
            } else if (shape.hasRecords(f.result(), f.read().offset())) {
                withRecords.add(f);
                next.put(f.read().partition(), shape.nextOffset(f.result()));
                bytes += shape.bytes(f.result());
            } else {
                shape.release(f.result()); // control batches only: not handed out
            }
        }
        if (withRecords.isEmpty() && outOfRange.isEmpty()) {
            waitForData(plan, Map.of()); // only non-data batches at the positions: wait for real records
        } else if (bytes < plan.fetchMinBytes() && remainingMs() > 0 && !stopped.isDone()) {
            release(withRecords); // read again, all of it, once more has arrived
            waitForData(plan, next); // too little yet: wait for more after what was read, then read it all again
        } else {
            advance(plan, withRecords, outOfRange, next);
        }
    }

    private void advance(
            ReadPlan plan,
            List<Fetched<T>> withRecords,
            List<TopicPartition> outOfRange,
            Map<TopicPartition, Long> next) {
        call(() -> {
                    List<PositionReset> moved = new ArrayList<>();
                    for (TopicPartition tp : outOfRange) {
                        OffsetLookup bounds = fetch.offsets(tp.topic(), tp.partition(), Optional.empty());
                        moved.add(coordinator.outOfRange(permit, tp, bounds.beginningOffset(), bounds.endOffset()));
                    }
                    Map<TopicPartition, Long> advanced = coordinator.advance(permit, plan, next);
                    return new Advanced(moved, advanced);
                })
                .whenComplete((done, error) -> {
                    if (error != null) {
                        release(withRecords);
                        fail(error);
                        return;
                    }
                    synchronized (this) {
                        resets.addAll(done.resets());
                    }
                    // a concurrent seek or rebalance won over this read: drop what it no longer may hand out
                    List<Fetched<T>> kept = new ArrayList<>();
                    for (Fetched<T> f : withRecords) {
                        if (done.advanced().containsKey(f.read().partition())) {
                            kept.add(f);
                        } else {
                            shape.release(f.result());
                        }
                    }
                    if (kept.isEmpty() && remainingMs() > 0 && !stopped.isDone()) {
                        plan();
                    } else {
                        answer(plan.generation(), kept);
                    }
                });
    }

    private void waitForData(ReadPlan plan, Map<TopicPartition, Long> after) {
        long remaining = remainingMs();
        if (remaining <= 0 || stopped.isDone()) {
            plan();
            return;
        }
        List<CompletableFuture<?>> wakers = new ArrayList<>();
        for (PartitionRead read : plan.reads()) {
            TopicPartition tp = read.partition();
            long from = after.getOrDefault(tp, read.offset());
            wakers.add(park(
                    fetchNow(new FetchRequest(tp.topic(), tp.partition(), from, 1, 1, remaining), GroupShape.RECORDS)));
        }
        wakers.add(
                park(call(() -> coordinator.generationAfter(request.group(), request.instanceId(), plan.generation()))
                        .thenCompose(future -> park(future))));
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        ScheduledFuture<?> timeout = timer.schedule(() -> deadline.complete(null), remaining, TimeUnit.MILLISECONDS);
        wakers.add(park(deadline));
        wakers.add(stopped);
        CompletableFuture.anyOf(wakers.toArray(CompletableFuture[]::new)).whenComplete((woken, error) -> {
            timeout.cancel(false);
            parked.cancelAll(); // only this step's wakers are parked now
            if (result.isDone()) {
                return;
            }
            if (error != null
                    && !(unwrap(error) instanceof CancellationException)
                    && ++errorWakeups > MAX_ERROR_WAKEUPS) {
                fail(error);
                return;
            }
            plan();
        });
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private record Fetched<T>(PartitionRead read, T result, Throwable error) {}

    /** The first step's outcome: a permit still to wait for, or the plan made with the permit held at once. */
    private record FirstStep(CompletableFuture<ReadPermit> pending, ReadPlan plan) {}

    private record Advanced(List<PositionReset> resets, Map<TopicPartition, Long> advanced) {}

    private long remainingMs() {
        // rounded up: a read must not answer "nothing" before its timeout has fully passed
        return stopped.isDone() ? 0 : Math.max(0, (deadlineNanos - clock.nanoseconds() + 999_999L) / 1_000_000L);
    }

    private void answer(int generation, List<Fetched<T>> partitions) {
        List<PositionReset> reported;
        synchronized (this) {
            reported = List.copyOf(resets);
        }
        List<GroupShape.Positioned<T>> handedOut = partitions.stream()
                .map(f -> new GroupShape.Positioned<>(f.result(), f.read().offset()))
                .toList();
        // the permit goes back before the answer: a client's next read, sent as soon as this answer's headers
        // arrive, must find the instance free (with timeout=0 it would otherwise answer empty at once)
        cleanUp();
        R answer = shape.answer(generation, handedOut, reported);
        if (!result.complete(answer)) {
            shape.releaseAnswer(answer); // cancelled meanwhile (client gone): nobody will send it
        }
    }

    /** Gives back what the fetched reads hold: they are not handed out. */
    private void release(List<Fetched<T>> dropped) {
        for (Fetched<T> f : dropped) {
            if (f.result() != null) {
                shape.release(f.result());
            }
        }
    }

    private void fail(Throwable error) {
        cleanUp();
        result.completeExceptionally(unwrap(error));
    }

    /** Keeps the permit for this read; false (and the permit closed) if the read already ended. */
    private synchronized boolean holdPermit(ReadPermit granted) {
        if (result.isDone()) {
            granted.close();
            return false;
        }
        permit = granted;
        return true;
    }

    private <T> CompletableFuture<T> park(CompletableFuture<T> future) {
        return parked.park(future);
    }

    private void cleanUp() {
        parked.close();
        ReadPermit held;
        synchronized (this) {
            held = permit;
            permit = null;
        }
        if (held != null) {
            held.close();
        }
    }

    private <F> CompletableFuture<F> fetchNow(FetchRequest one, GroupShape<F, ?> as) {
        try {
            return as.fetch(fetch, one);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs a (blocking) coordinator or storage call on the storage executor. */
    private <T> CompletableFuture<T> call(Supplier<T> step) {
        try {
            return CompletableFuture.supplyAsync(step, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean gone(Throwable error) {
        return isCode(error, ErrorCode.TOPIC_NOT_FOUND) || isCode(error, ErrorCode.PARTITION_NOT_FOUND);
    }

    private static boolean isCode(Throwable error, ErrorCode code) {
        return error instanceof SluiceException e && e.errorCode() == code;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
