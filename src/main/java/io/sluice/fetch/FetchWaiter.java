package io.sluice.fetch;

import io.sluice.common.DeadlineTimer;
import io.sluice.common.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One read in progress in the {@link FetchService}: the request, the shape of its answer, its future and its parking
 * state. Its fields are written by the executor or timer thread that handles it; the flags are atomic because a
 * wake-up, the timer and a cancelling client may race.
 */
final class FetchWaiter<T> {

    final FetchRequest request;
    final ReadShape<T> shape;
    final long startNanos;
    final long waitMs;
    final CompletableFuture<T> future = new CompletableFuture<>();
    final AtomicBoolean finished = new AtomicBoolean();
    /** Set while a wake-up task holds this waiter, so further appends do not queue more reads for it. */
    final AtomicBoolean wakePending = new AtomicBoolean();

    volatile long nextOffset;
    volatile TopicPartition tp;
    volatile DeadlineTimer.Timeout timeout;

    FetchWaiter(FetchRequest request, ReadShape<T> shape, long startNanos, long waitMs) {
        this.request = request;
        this.shape = shape;
        this.startNanos = startNanos;
        this.waitMs = waitMs;
        this.nextOffset = request.offset() != null ? request.offset() : 0;
    }

    /**
     * A future completed with {@code answer} applied to this read's result, on the thread that completes the read, or
     * with the read's error or the function's. Cancelling it cancels the read; an answer made while it was being
     * cancelled goes to {@code discard}. Called before the read starts, so that the answer is never left to the
     * caller's thread.
     */
    <R> CompletableFuture<R> answered(Function<T, R> answer, Consumer<? super R> discard) {
        CompletableFuture<R> answered = new CompletableFuture<>();
        future.whenComplete((result, error) -> {
            if (error != null) {
                answered.completeExceptionally(error);
                return;
            }
            R made;
            try {
                made = answer.apply(result);
            } catch (RuntimeException e) {
                answered.completeExceptionally(e);
                return;
            }
            if (!answered.complete(made)) {
                discard.accept(made);
            }
        });
        answered.whenComplete((made, error) -> {
            if (answered.isCancelled()) {
                future.cancel(false);
            }
        });
        return answered;
    }

    /** What makes two reads return the same answer: null unless the read names its offset and its shape shares. */
    SharedRead sharedReadKey() {
        return request.offset() == null || !shape.shareable()
                ? null
                : new SharedRead(shape, request.offset(), request.maxBytes(), request.maxRecords());
    }

    record SharedRead(ReadShape<?> shape, long offset, int maxBytes, int maxRecords) {}
}
