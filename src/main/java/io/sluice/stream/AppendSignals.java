package io.sluice.stream;

import io.sluice.common.TopicPartition;
import io.sluice.common.WaitingSets;
import io.sluice.storage.LogListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.ToLongFunction;

/**
 * Wakes streams waiting for an append: a registry of futures per partition, completed after the log's high-watermark
 * callback. A wait holds no thread. No wake-up is lost: a waiter is registered before the high watermark is checked,
 * so an append that lands in between either is seen by the check or completes the registered future. Cancelled or
 * completed futures leave the registry at once.
 *
 * <p>The futures of one append are completed together in one task on {@code wakeUps}, not on the appender's thread:
 * what a stream does when woken (its read, its frame, its send) ran there before, ahead of the producer's answer, and
 * put the producer's acknowledgement behind every subscriber (a WebSocket e2e run at 1,000 records/s had an ack p99 of
 * 400 ms; BENCHMARKS.md, session 8). If {@code wakeUps} refuses the task, they are completed on the caller's thread,
 * so no wake-up is lost. Thread-safe.
 */
public final class AppendSignals implements LogListener {

    private final WaitingSets<TopicPartition, Waiter> waiters = new WaitingSets<>();
    private final ToLongFunction<TopicPartition> highWatermark;
    private final Executor wakeUps;

    private record Waiter(long offset, CompletableFuture<Void> future) {}

    /**
     * @param highWatermark the current high watermark of a partition (cheap, non-blocking)
     * @param wakeUps where woken waits are completed (and what they chain runs)
     */
    public AppendSignals(ToLongFunction<TopicPartition> highWatermark, Executor wakeUps) {
        this.highWatermark = highWatermark;
        this.wakeUps = wakeUps;
    }

    /** Completes once the partition's high watermark is above {@code offset}. */
    public CompletableFuture<Void> await(TopicPartition tp, long offset) {
        Waiter waiter = new Waiter(offset, new CompletableFuture<>());
        waiters.add(tp, waiter);
        waiter.future.whenComplete((ignored, error) -> remove(tp, waiter));
        try {
            if (highWatermark.applyAsLong(tp) > offset) {
                waiter.future.complete(null);
            }
        } catch (RuntimeException e) {
            waiter.future.completeExceptionally(e);
        }
        return waiter.future;
    }

    @Override
    public void onHighWatermarkAdvanced(TopicPartition tp, long highWatermark) {
        List<Waiter> due = null;
        for (Waiter waiter : waiters.of(tp)) {
            if (waiter.offset < highWatermark && !waiter.future.isDone()) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(waiter);
            }
        }
        if (due == null) {
            return;
        }
        List<Waiter> woken = due;
        Runnable complete = () -> woken.forEach(waiter -> waiter.future.complete(null));
        try {
            wakeUps.execute(complete);
        } catch (RejectedExecutionException e) {
            complete.run();
        }
    }

    /** Waits currently parked, for observability and tests. */
    public int parked() {
        return waiters.size();
    }

    private void remove(TopicPartition tp, Waiter waiter) {
        waiters.remove(tp, waiter);
    }
}
