package io.sluice.fetch;

import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.common.WaitingSets;
import io.sluice.storage.LogListener;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.ReadBuffers;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampOffset;
import io.sluice.topic.StorageErrors;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads records, waiting (long-poll) when none exist yet at the asked offset. A waiting read holds no thread: it is a
 * {@link CompletableFuture} parked in a per-partition set, woken by {@link #onHighWatermarkAdvanced} (the log calls
 * it after an append became visible) or completed empty by a timer. Reads run on the given storage executor, never on
 * the caller's thread or the appender's. Waits are capped at {@code maxWaitMs}.
 *
 * <p>No wakeup is lost: a waiter is parked before its first read, so an append that lands after the read finds it
 * parked. Wake-ups are batched: one append hands the partition's due waiters to the executor in tasks of up to
 * {@link #WAKE_BATCH}, not one task each; a waiter already handed over is not handed over again by the next append
 * (its pending flag is cleared just before its read, so an append after that wakes it again), and waiters of one
 * task at the same position share one read when it found records. A timer that fires while nothing was appended past
 * the waiter's position answers it empty at once, without a read or a hand-over. Thread-safe.
 */
public final class FetchService implements LogListener {

    /** Most waiters one wake-up task answers: big enough to batch, small enough to spread over the executor. */
    static final int WAKE_BATCH = 64;

    private final TopicService topics;
    private final Executor storageExecutor;
    private final DeadlineTimer timer;
    private final Clock clock;
    private final TopicMetrics metrics;
    private final long maxWaitMs;
    private final ReadShape<FetchedBatches> batches;
    private final WaitingSets<TopicPartition, FetchWaiter<?>> waiters = new WaitingSets<>();
    private volatile boolean stopping;

    public FetchService(
            TopicService topics,
            Executor storageExecutor,
            DeadlineTimer timer,
            Clock clock,
            TopicMetrics metrics,
            long maxWaitMs) {
        this(topics, storageExecutor, timer, clock, metrics, maxWaitMs, ReadBuffers.heap());
    }

    /**
     * With {@code readBuffers} supplying the memory that batch reads ({@link #readBatches}) are read into and
     * answered in.
     */
    public FetchService(
            TopicService topics,
            Executor storageExecutor,
            DeadlineTimer timer,
            Clock clock,
            TopicMetrics metrics,
            long maxWaitMs,
            ReadBuffers readBuffers) {
        this.topics = topics;
        this.storageExecutor = storageExecutor;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
        this.maxWaitMs = maxWaitMs;
        this.batches = ReadShape.batches(readBuffers);
        metrics.waitingReads(this::waitingReads);
    }

    /** Reads currently parked. */
    public int waitingReads() {
        return waiters.size();
    }

    /** Completes with the records, or exceptionally with a {@link SluiceException}. */
    public CompletableFuture<FetchResult> read(FetchRequest request) {
        return start(request, ReadShape.RECORDS);
    }

    /**
     * Like {@link #read}, and turns the records into the caller's answer with {@code answer} on the thread that
     * completes the read (a storage thread, or the timer's for an empty answer at the deadline), never on the
     * caller's: the function is in place before the read starts, so a read that is over before this method returns
     * does not leave a costly answer (rendering a page of records) to the caller's thread, an event loop. Errors of
     * the read or of {@code answer} complete the future exceptionally. Cancelling the returned future cancels the
     * read; an answer made while the caller cancelled is given to {@code discard} (to free what it holds).
     */
    public <R> CompletableFuture<R> read(
            FetchRequest request, Function<FetchResult, R> answer, Consumer<? super R> discard) {
        FetchWaiter<FetchResult> waiter = waiter(request, ReadShape.RECORDS);
        CompletableFuture<R> answered = waiter.answered(answer, discard);
        begin(waiter);
        return answered;
    }

    /**
     * Like {@link #read}, but completes with the stored batches themselves (see {@link FetchedBatches}); answers as
     * soon as any batch at or after the offset exists. {@code maxRecords} does not apply: batches are never split.
     */
    public CompletableFuture<FetchedBatches> readBatches(FetchRequest request) {
        return start(request, batches);
    }

    private <T> CompletableFuture<T> start(FetchRequest request, ReadShape<T> shape) {
        FetchWaiter<T> waiter = waiter(request, shape);
        begin(waiter);
        return waiter.future;
    }

    private <T> FetchWaiter<T> waiter(FetchRequest request, ReadShape<T> shape) {
        checkLimits(request);
        long waitMs = stopping ? 0 : Math.min(request.timeoutMs(), maxWaitMs);
        FetchWaiter<T> waiter = new FetchWaiter<>(request, shape, clock.nanoseconds(), waitMs);
        // a caller that cancels (client gone) also takes the waiter out of the set at once
        waiter.future.whenComplete((result, error) -> unpark(waiter));
        return waiter;
    }

    private void begin(FetchWaiter<?> waiter) {
        if (!parkedAtTheEnd(waiter)) {
            storageExecutor.execute(() -> attempt(waiter, true));
        }
    }

    /**
     * The common case of a tailing consumer: a read at exactly the end of the log has nothing to read yet, so it is
     * parked right here, with no hand-over and no read; parking takes no lock that could block the caller (an event
     * loop). The high watermark is looked at again after parking: an append that landed in between is read on the
     * executor as a wake-up would. False when the read must be attempted on the executor.
     */
    private boolean parkedAtTheEnd(FetchWaiter<?> waiter) {
        FetchRequest request = waiter.request;
        if (waiter.waitMs <= 0 || request.offset() == null) {
            return false;
        }
        PartitionLog log;
        try {
            log = topics.log(request.topic(), request.partition());
        } catch (RuntimeException e) {
            return false; // the attempt on the executor reports it
        }
        if (log.highWatermark() != request.offset()) {
            return false;
        }
        park(waiter, log.topicPartition());
        if (log.highWatermark() != request.offset() && waiter.wakePending.compareAndSet(false, true)) {
            handOver(List.of(waiter));
        }
        return true;
    }

    /** The partition's bounds, and with a timestamp the first offset at or after it. */
    public OffsetLookup offsets(String topic, int partition, Optional<Long> timestamp) {
        PartitionLog log = topics.log(topic, partition);
        long start = log.logStartOffset();
        long end = log.highWatermark();
        if (timestamp.isEmpty()) {
            return new OffsetLookup(start, end, end, -1);
        }
        try {
            Optional<TimestampOffset> found = log.offsetForTimestamp(timestamp.get());
            return found.map(f -> new OffsetLookup(start, end, f.offset(), f.timestamp()))
                    .orElseGet(() -> new OffsetLookup(start, end, end, -1));
        } catch (StorageException e) {
            throw StorageErrors.translate(e, log.topicPartition());
        }
    }

    /**
     * Answers every waiting read now with what it has (usually nothing) and makes later reads answer at once, so a
     * shutting-down server does not hold connections open for the rest of their timeouts.
     */
    public void stopWaiting() {
        stopping = true;
        for (Set<FetchWaiter<?>> parked : waiters.all()) {
            for (FetchWaiter<?> waiter : parked) {
                expire(waiter);
            }
        }
    }

    /** Undoes {@link #stopWaiting()}: reads wait again (a paused application, e.g. a cached test context, resumed). */
    public void resumeWaiting() {
        stopping = false;
    }

    @Override
    public void onHighWatermarkAdvanced(TopicPartition tp, long highWatermark) {
        List<FetchWaiter<?>> due = null;
        for (FetchWaiter<?> waiter : waiters.of(tp)) {
            if (waiter.nextOffset < highWatermark && waiter.wakePending.compareAndSet(false, true)) {
                if (due == null) {
                    due = new ArrayList<>(Math.min(WAKE_BATCH, waiters.of(tp).size()));
                }
                due.add(waiter);
                if (due.size() == WAKE_BATCH) {
                    handOver(due);
                    due = null;
                }
            }
        }
        if (due != null) {
            handOver(due);
        }
    }

    private void handOver(List<FetchWaiter<?>> due) {
        try {
            storageExecutor.execute(() -> wake(due));
        } catch (RejectedExecutionException e) {
            // never fail the appender's thread: the reads answer at the next append or at their timeout
            due.forEach(waiter -> waiter.wakePending.set(false));
        }
    }

    private void wake(List<FetchWaiter<?>> due) {
        Map<FetchWaiter.SharedRead, Object> found = new HashMap<>();
        for (FetchWaiter<?> waiter : due) {
            wake(waiter, found);
        }
    }

    private <T> void wake(FetchWaiter<T> waiter, Map<FetchWaiter.SharedRead, Object> found) {
        waiter.wakePending.set(false);
        if (waiter.future.isDone()) {
            return;
        }
        FetchWaiter.SharedRead key = waiter.sharedReadKey();
        @SuppressWarnings("unchecked") // keys name the shape, so a value found under one has the waiter's type
        T earlier = key == null ? null : (T) found.get(key);
        if (earlier != null) {
            finish(waiter, earlier);
            return;
        }
        T result = attempt(waiter, false);
        // only reads that found data are shared: an empty one may predate an append this waiter must see
        if (key != null && result != null && waiter.shape.hasData().test(result)) {
            found.put(key, result);
        }
    }

    /** Reads for the waiter and answers it if records were found (or it does not wait); returns what was read. */
    private <T> T attempt(FetchWaiter<T> waiter, boolean first) {
        if (waiter.future.isDone()) {
            return null;
        }
        try {
            FetchRequest request = waiter.request;
            PartitionLog log = topics.log(request.topic(), request.partition());
            if (first && waiter.waitMs > 0) {
                park(waiter, log.topicPartition());
            }
            T result = readNow(log, waiter);
            if (waiter.shape.hasData().test(result) || waiter.waitMs <= 0) {
                finish(waiter, result);
            } else {
                waiter.shape.discard().accept(result); // nothing yet: the waiter reads again when woken
            }
            return result;
        } catch (StorageException e) {
            fail(
                    waiter,
                    StorageErrors.translate(e, new TopicPartition(waiter.request.topic(), waiter.request.partition())));
        } catch (RuntimeException e) {
            fail(waiter, e);
        }
        return null;
    }

    private void park(FetchWaiter<?> waiter, TopicPartition tp) {
        waiter.tp = tp;
        waiters.add(tp, waiter);
        waiter.timeout = timer.schedule(() -> expire(waiter), waiter.waitMs);
        if (waiter.future.isDone()) {
            unpark(waiter);
        }
    }

    private void expire(FetchWaiter<?> waiter) {
        if (waiter.future.isDone()) {
            return;
        }
        if (nothingArrived(waiter)) {
            return;
        }
        try {
            storageExecutor.execute(() -> expireNow(waiter));
        } catch (RejectedExecutionException e) {
            fail(waiter, new SluiceException(ErrorCode.TOO_MANY_REQUESTS, "the server is overloaded; retry later"));
        }
    }

    /**
     * The idle case of a timeout: the waiter's position is the log's end and nothing was appended there, so its answer
     * is empty and is given here, on the timer's thread, with no read. Returns false when a read is needed.
     */
    private <T> boolean nothingArrived(FetchWaiter<T> waiter) {
        PartitionLog log;
        try {
            log = topics.log(waiter.request.topic(), waiter.request.partition());
        } catch (RuntimeException e) {
            return false; // the read on the executor reports it
        }
        long highWatermark = log.highWatermark();
        // only a waiter exactly at the end has nothing to read; one past it (its first read has not run yet, or the
        // log was re-created) gets the read's out-of-range answer
        if (highWatermark != waiter.nextOffset) {
            return false;
        }
        finish(
                waiter,
                waiter.shape.empty().answer(waiter.request, log.logStartOffset(), highWatermark, waiter.nextOffset));
        return true;
    }

    private <T> void expireNow(FetchWaiter<T> waiter) {
        try {
            PartitionLog log = topics.log(waiter.request.topic(), waiter.request.partition());
            finish(waiter, readNow(log, waiter));
        } catch (StorageException e) {
            fail(waiter, StorageErrors.translate(e, waiter.tp));
        } catch (RuntimeException e) {
            fail(waiter, e);
        }
    }

    private <T> T readNow(PartitionLog log, FetchWaiter<T> waiter) {
        FetchRequest request = waiter.request;
        long offset = request.offset() != null ? request.offset() : log.logStartOffset();
        T result = waiter.shape.reader().read(log.read(offset, request.maxBytes()), request, offset);
        waiter.nextOffset = offset;
        return result;
    }

    private <T> void finish(FetchWaiter<T> waiter, T result) {
        // a wakeup and the timeout may both get here; only the first counts and answers (metrics before the
        // answer, so a client that has its records also sees them counted)
        ReadShape<T> shape = waiter.shape;
        if (waiter.future.isDone() || !waiter.finished.compareAndSet(false, true)) {
            shape.discard().accept(result);
            return;
        }
        unpark(waiter);
        metrics.read(
                waiter.request.topic(),
                shape.records().applyAsInt(result),
                shape.bytes().applyAsLong(result),
                clock.nanoseconds() - waiter.startNanos);
        if (!waiter.future.complete(result)) {
            shape.discard().accept(result); // cancelled meanwhile (client gone): nobody will send or release it
        }
    }

    private void fail(FetchWaiter<?> waiter, Throwable error) {
        unpark(waiter);
        waiter.future.completeExceptionally(error);
    }

    private void unpark(FetchWaiter<?> waiter) {
        if (waiter.timeout != null) {
            waiter.timeout.cancel();
        }
        if (waiter.tp != null) {
            waiters.remove(waiter.tp, waiter);
        }
    }

    private static void checkLimits(FetchRequest request) {
        if (request.offset() != null && request.offset() < 0) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "offset must be >= 0, got " + request.offset());
        }
        if (request.maxBytes() < 1 || request.maxRecords() < 1 || request.timeoutMs() < 0) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "max_bytes and max_records must be >= 1 and timeout >= 0");
        }
    }
}
