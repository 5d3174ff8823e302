package io.sluice.stream;

import io.sluice.common.TopicPartition;
import io.sluice.common.WaitingSets;
import io.sluice.storage.LogListener;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * Wakes streams waiting for an append: a registry of futures per partition, completed by the log's high-watermark
 * callback. A wait holds no thread. No wake-up is lost: a waiter is registered before the high watermark is checked,
 * so an append that lands in between either is seen by the check or completes the registered future. Cancelled or
 * completed futures leave the registry at once. Thread-safe.
 */
public final class AppendSignals implements LogListener {

    private final WaitingSets<TopicPartition, Waiter> waiters = new WaitingSets<>();
    private final ToLongFunction<TopicPartition> highWatermark;

    private record Waiter(long offset, CompletableFuture<Void> future) {}

    /** @param highWatermark the current high watermark of a partition (cheap, non-blocking) */
    public AppendSignals(ToLongFunction<TopicPartition> highWatermark) {
        this.highWatermark = highWatermark;
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
        for (Waiter waiter : waiters.of(tp)) {
            if (waiter.offset < highWatermark) {
                waiter.future.complete(null);
            }
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
