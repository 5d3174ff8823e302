package io.sluice.fetch;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.common.WaitingSets;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import io.sluice.storage.LogListener;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampOffset;
import io.sluice.topic.StorageErrors;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final WaitingSets<TopicPartition, Waiter> waiters = new WaitingSets<>();
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
        checkLimits(request);
        long waitMs = stopping ? 0 : Math.min(request.timeoutMs(), maxWaitMs);
        Waiter waiter = new Waiter(request, clock.nanoseconds(), waitMs);
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
        for (Set<Waiter> parked : waiters.all()) {
            for (Waiter waiter : parked) {
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
        for (Waiter waiter : waiters.of(tp)) {
            if (waiter.nextOffset < highWatermark) {
                try {
                    storageExecutor.execute(() -> attempt(waiter, false));
                } catch (RejectedExecutionException e) {
                    // never fail the appender's thread: the read still answers at its timeout
                }
            }
        }
    }

    private void attempt(Waiter waiter, boolean first) {
        if (waiter.future.isDone()) {
            return;
        }
        try {
            FetchRequest request = waiter.request;
            PartitionLog log = topics.log(request.topic(), request.partition());
            if (first && waiter.waitMs > 0) {
                park(waiter, log.topicPartition());
            }
            FetchResult result = readNow(log, waiter);
            if (!result.records().isEmpty() || waiter.waitMs <= 0) {
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

    private void park(Waiter waiter, TopicPartition tp) {
        waiter.tp = tp;
        waiters.add(tp, waiter);
        waiter.timeout = timer.schedule(() -> expire(waiter), waiter.waitMs, TimeUnit.MILLISECONDS);
        if (waiter.future.isDone()) {
            unpark(waiter);
        }
    }

    private void expire(Waiter waiter) {
        try {
            storageExecutor.execute(() -> expireNow(waiter));
        } catch (RejectedExecutionException e) {
            fail(waiter, new SluiceException(ErrorCode.TOO_MANY_REQUESTS, "the server is overloaded; retry later"));
        }
    }

    private void expireNow(Waiter waiter) {
        try {
            PartitionLog log = topics.log(waiter.request.topic(), waiter.request.partition());
            finish(waiter, readNow(log, waiter));
        } catch (StorageException e) {
            fail(waiter, StorageErrors.translate(e, waiter.tp));
        } catch (RuntimeException e) {
            fail(waiter, e);
        }
    }

    private FetchResult readNow(PartitionLog log, Waiter waiter) {
        FetchRequest request = waiter.request;
        long offset = request.offset() != null ? request.offset() : log.logStartOffset();
        LogReadResult read = log.read(offset, request.maxBytes());
        List<FetchedRecord> records = new ArrayList<>();
        for (RecordBatch batch : read.verifiedBatches()) {
            if (batch.isControlBatch() || batch.lastOffset() < offset) {
                continue;
            }
            boolean appendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
            for (Record record : batch.records()) {
                if (record.offset() >= offset && records.size() < request.maxRecords()) {
                    long timestamp = appendTime ? batch.maxTimestamp() : record.timestamp();
                    records.add(new FetchedRecord(
                            record.offset(),
                            timestamp,
                            batch.timestampType(),
                            record.keyBytes(),
                            record.valueBytes(),
                            record.headers()));
                }
            }
        }
        waiter.nextOffset = offset;
        return new FetchResult(
                request.topic(), request.partition(), records, read.logStartOffset(), read.highWatermark());
    }

    private void finish(Waiter waiter, FetchResult result) {
        // a wakeup and the timeout may both get here; only the first counts and answers (metrics before the
        // answer, so a client that has its records also sees them counted)
        if (waiter.future.isDone() || !waiter.finished.compareAndSet(false, true)) {
            return;
        }
        unpark(waiter);
        long bytes = 0;
        for (FetchedRecord record : result.records()) {
            bytes += record.payloadBytes();
        }
        metrics.read(result.topic(), result.records().size(), bytes, clock.nanoseconds() - waiter.startNanos);
        waiter.future.complete(result);
    }

    private void fail(Waiter waiter, Throwable error) {
        unpark(waiter);
        waiter.future.completeExceptionally(error);
    }

    private void unpark(Waiter waiter) {
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

    /** One read in progress; its fields are written by the executor or timer thread that handles it. */
    private static final class Waiter {
        final FetchRequest request;
        final long startNanos;
        final long waitMs;
        final CompletableFuture<FetchResult> future = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile long nextOffset;
        volatile TopicPartition tp;
        volatile ScheduledFuture<?> timeout;

        Waiter(FetchRequest request, long startNanos, long waitMs) {
            this.request = request;
            this.startNanos = startNanos;
            this.waitMs = waitMs;
            this.nextOffset = request.offset() != null ? request.offset() : 0;
        }
    }
}
