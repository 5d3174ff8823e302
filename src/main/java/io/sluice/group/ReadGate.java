package io.sluice.group;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Serialises the reads of one instance without blocking a thread: one {@link ReadPermit} at a time; further
 * acquirers either get refused ({@link #tryAcquire}) or wait in FIFO order on a future ({@link #acquire}) that is
 * completed when the holder releases. A waiter that gave up (its future was cancelled or timed out) is skipped.
 *
 * <p>Invariant: {@code holder != null} iff a permit is out; after {@link #close} nothing is handed out again and every
 * waiter fails. Thread-safe: all fields are guarded by {@code this}; futures are completed outside the lock because
 * completing runs the waiter's callbacks.
 */
final class ReadGate {

    private final Supplier<ReadPermit> permits;
    private final ArrayDeque<CompletableFuture<ReadPermit>> waiters = new ArrayDeque<>();
    private ReadPermit holder;
    private RuntimeException closedBecause;

    ReadGate(Supplier<ReadPermit> permits) {
        this.permits = permits;
    }

    /** A permit if none is out, else empty. */
    synchronized Optional<ReadPermit> tryAcquire() {
        throwIfClosed();
        if (holder != null) {
            return Optional.empty();
        }
        holder = permits.get();
        return Optional.of(holder);
    }

    /** A future completed with a permit as soon as the ones before it were released. */
    synchronized CompletableFuture<ReadPermit> acquire() {
        throwIfClosed();
        if (holder == null) {
            holder = permits.get();
            return CompletableFuture.completedFuture(holder);
        }
        CompletableFuture<ReadPermit> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        return waiter;
    }

    /** Called by {@link ReadPermit#close()}: hands a new permit to the first waiter still waiting. */
    void release(ReadPermit permit) {
        while (true) {
            CompletableFuture<ReadPermit> next;
            ReadPermit handed;
            synchronized (this) {
                if (holder != permit) {
                    return;
                }
                next = closedBecause == null ? waiters.poll() : null;
                if (next == null) {
                    holder = null;
                    return;
                }
                handed = permits.get();
                holder = handed;
                permit = handed;
            }
            if (next.complete(handed)) {
                return;
            }
            // that waiter gave up; release the permit we made for it and try the next one
        }
    }

    /** Fails every waiter with {@code why} and refuses all later acquires; a permit still out stays harmless. */
    void close(RuntimeException why) {
        CompletableFuture<?>[] failed;
        synchronized (this) {
            closedBecause = why;
            failed = waiters.toArray(CompletableFuture<?>[]::new);
            waiters.clear();
        }
        for (CompletableFuture<?> waiter : failed) {
            waiter.completeExceptionally(why);
        }
    }

    synchronized boolean held() {
        return holder != null;
    }

    private void throwIfClosed() {
        if (closedBecause != null) {
            throw closedBecause;
        }
    }
}
