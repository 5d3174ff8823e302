package io.sluice.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The futures one read is waiting on (fetch waiters, a permit, a generation change, timers), so they can all be
 * cancelled when the read moves on or ends; cancelling a fetch waiter takes it out of the fetch service at once.
 * After {@link #close()} every newly parked future is cancelled immediately. Thread-safe.
 */
final class ParkedFutures {

    private final List<CompletableFuture<?>> parked = new ArrayList<>();
    private boolean closed;

    /** Registers {@code future}; cancels it at once if already closed. Returns it for chaining. */
    <T> CompletableFuture<T> park(CompletableFuture<T> future) {
        boolean cancel;
        synchronized (this) {
            cancel = closed;
            if (!closed) {
                parked.removeIf(CompletableFuture::isDone);
                parked.add(future);
            }
        }
        if (cancel) {
            future.cancel(false);
        }
        return future;
    }

    /** Cancels everything parked so far (outside the lock: cancellation runs callbacks). */
    void cancelAll() {
        List<CompletableFuture<?>> toCancel;
        synchronized (this) {
            toCancel = List.copyOf(parked);
            parked.clear();
        }
        toCancel.forEach(future -> future.cancel(false));
    }

    /** Cancels everything parked and everything parked from now on. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        cancelAll();
    }
}
