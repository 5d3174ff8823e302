package io.sluice.fetch;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.common.WaitingSets;
import io.sluice.storage.LogListener;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampOffset;
import io.sluice.topic.StorageErrors;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Reads records, waiting (long-poll) when none exist yet at the asked offset. A waiting read holds no thread: it is a
 * {@link CompletableFuture} parked in a per-partition set, woken by {@link #onHighWatermarkAdvanced} (the log calls
 * it after an append became visible) or completed empty by a timer. Reads run on the given storage executor, never on
 * the caller's thread or the appender's. Waits are capped at {@code maxWaitMs}.
 *
 * <p>No wakeup is lost: a waiter is parked before its first read, so an append that lands after the read finds it
 * parked. Thread-safe.
 */
public final class FetchService implements LogListener {

    private final TopicService topics;
    private final Executor storageExecutor;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final TopicMetrics metrics;
    private final long maxWaitMs;
    private static final Shape<FetchResult> RECORDS = new Shape<>(
            LogReads::records, r -> !r.records().isEmpty(), r -> r.records().size(), FetchService::payloadBytes);
    private static final Shape<FetchedBatches> BATCHES = new Shape<>(
            LogReads::batches,
            b -> !b.isEmpty(),
            FetchedBatches::records,
            b -> b.batches().remaining());

    private final WaitingSets<TopicPartition, Waiter<?>> waiters = new WaitingSets<>();
    private volatile boolean stopping;

    public FetchService(
            TopicService topics,
            Executor storageExecutor,
            ScheduledExecutorService timer,
            Clock clock,
            TopicMetrics metrics,
            long maxWaitMs) {
        this.topics = topics;
        this.storageExecutor = storageExecutor;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
        this.maxWaitMs = maxWaitMs;
        metrics.waitingReads(this::waitingReads);
    }

    /** Reads currently parked. */
    public int waitingReads() {
        return waiters.size();
    }

    /** Completes with the records, or exceptionally with a {@link SluiceException}. */
    public CompletableFuture<FetchResult> read(FetchRequest request) {
        return start(request, RECORDS);
    }

    /**
     * Like {@link #read}, but completes with the stored batches themselves (see {@link FetchedBatches}); answers as
     * soon as any batch at or after the offset exists. {@code maxRecords} does not apply: batches are never split.
     */
    public CompletableFuture<FetchedBatches> readBatches(FetchRequest request) {
        return start(request, BATCHES);
    }

    private <T> CompletableFuture<T> start(FetchRequest request, Shape<T> shape) {
        checkLimits(request);
        long waitMs = stopping ? 0 : Math.min(request.timeoutMs(), maxWaitMs);
        Waiter<T> waiter = new Waiter<>(request, shape, clock.nanoseconds(), waitMs);
        // a caller that cancels (client gone) also takes the waiter out of the set at once
        waiter.future.whenComplete((result, error) -> unpark(waiter));
        storageExecutor.execute(() -> attempt(waiter, true));
        return waiter.future;
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
        for (Set<Waiter<?>> parked : waiters.all()) {
            for (Waiter<?> waiter : parked) {
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
        for (Waiter<?> waiter : waiters.of(tp)) {
            if (waiter.nextOffset < highWatermark) {
                try {
                    storageExecutor.execute(() -> attempt(waiter, false));
                } catch (RejectedExecutionException e) {
                    // never fail the appender's thread: the read still answers at its timeout
                }
            }
        }
    }

    private <T> void attempt(Waiter<T> waiter, boolean first) {
        if (waiter.future.isDone()) {
            return;
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
            }
        } catch (StorageException e) {
            fail(
                    waiter,
                    StorageErrors.translate(e, new TopicPartition(waiter.request.topic(), waiter.request.partition())));
        } catch (RuntimeException e) {
            fail(waiter, e);
        }
    }

    private void park(Waiter<?> waiter, TopicPartition tp) {
        waiter.tp = tp;
        waiters.add(tp, waiter);
        waiter.timeout = timer.schedule(() -> expire(waiter), waiter.waitMs, TimeUnit.MILLISECONDS);
        if (waiter.future.isDone()) {
            unpark(waiter);
        }
    }

    private void expire(Waiter<?> waiter) {
        try {
            storageExecutor.execute(() -> expireNow(waiter));
        } catch (RejectedExecutionException e) {
            fail(waiter, new SluiceException(ErrorCode.TOO_MANY_REQUESTS, "the server is overloaded; retry later"));
        }
    }

    private <T> void expireNow(Waiter<T> waiter) {
        try {
            PartitionLog log = topics.log(waiter.request.topic(), waiter.request.partition());
            finish(waiter, readNow(log, waiter));
        } catch (StorageException e) {
            fail(waiter, StorageErrors.translate(e, waiter.tp));
        } catch (RuntimeException e) {
            fail(waiter, e);
        }
    }

    private <T> T readNow(PartitionLog log, Waiter<T> waiter) {
        FetchRequest request = waiter.request;
        long offset = request.offset() != null ? request.offset() : log.logStartOffset();
        T result = waiter.shape.reader().read(log.read(offset, request.maxBytes()), request, offset);
        waiter.nextOffset = offset;
        return result;
    }

    private <T> void finish(Waiter<T> waiter, T result) {
        // a wakeup and the timeout may both get here; only the first counts and answers (metrics before the
        // answer, so a client that has its records also sees them counted)
        if (waiter.future.isDone() || !waiter.finished.compareAndSet(false, true)) {
            return;
        }
        unpark(waiter);
        Shape<T> shape = waiter.shape;
        metrics.read(
                waiter.request.topic(),
                shape.records().applyAsInt(result),
                shape.bytes().applyAsLong(result),
                clock.nanoseconds() - waiter.startNanos);
        waiter.future.complete(result);
    }

    private void fail(Waiter<?> waiter, Throwable error) {
        unpark(waiter);
        waiter.future.completeExceptionally(error);
    }

    private void unpark(Waiter<?> waiter) {
        if (waiter.timeout != null) {
            waiter.timeout.cancel(false);
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

    private static long payloadBytes(FetchResult result) {
        long bytes = 0;
        for (FetchedRecord record : result.records()) {
            bytes += record.payloadBytes();
        }
        return bytes;
    }

    /** How one kind of read turns the log's answer into its result, and what of it counts as data and in metrics. */
    private record Shape<T>(
            Reader<T> reader, Predicate<T> hasData, ToIntFunction<T> records, ToLongFunction<T> bytes) {}

    @FunctionalInterface
    private interface Reader<T> {
        T read(LogReadResult read, FetchRequest request, long offset);
    }

    /** One read in progress; its fields are written by the executor or timer thread that handles it. */
    private static final class Waiter<T> {
        final FetchRequest request;
        final Shape<T> shape;
        final long startNanos;
        final long waitMs;
        final CompletableFuture<T> future = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile long nextOffset;
        volatile TopicPartition tp;
        volatile ScheduledFuture<?> timeout;

        Waiter(FetchRequest request, Shape<T> shape, long startNanos, long waitMs) {
            this.request = request;
            this.shape = shape;
            this.startNanos = startNanos;
            this.waitMs = waitMs;
            this.nextOffset = request.offset() != null ? request.offset() : 0;
        }
    }
}
