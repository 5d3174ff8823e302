package io.sluice.group;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Serialises the reads of one instance without blocking a thread: one {@link ReadPermit} at a time; further
 * acquirers either get refused ({@link #tryAcquire}) or wait in FIFO order on a future ({@link #acquire}) that is
 * completed when the holder releases. A waiter that gave up (its future was cancelled or timed out) is skipped. A
 * holder that never releases (a lost request) loses the permit through {@link #reclaimIfHeldSince}.
 *
 * <p>Invariant: {@code holder != null} iff a permit is out; after {@link #close} nothing is handed out again and every
 * waiter fails. Thread-safe: fields are guarded by {@code this}. Futures are never completed under a lock: methods
 * that would complete one return a {@link Runnable} for the caller to run once it holds no lock.
 */
final class ReadGate {

    private static final Runnable NOTHING = () -> {};

    private final Supplier<ReadPermit> permits;
    private final LongSupplier clockMs;
    private final ArrayDeque<CompletableFuture<ReadPermit>> waiters = new ArrayDeque<>();
    private ReadPermit holder;
    private long heldSince;
    private RuntimeException closedBecause;

    ReadGate(Supplier<ReadPermit> permits, LongSupplier clockMs) {
        this.permits = permits;
        this.clockMs = clockMs;
    }

    /** A permit if none is out, else empty. */
    synchronized Optional<ReadPermit> tryAcquire() {
        throwIfClosed();
        return holder == null ? Optional.of(take()) : Optional.empty();
    }

    /** A future completed with a permit as soon as the reads before it released theirs. */
    synchronized CompletableFuture<ReadPermit> acquire() {
        throwIfClosed();
        if (holder == null) {
            return CompletableFuture.completedFuture(take());
        }
        CompletableFuture<ReadPermit> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        return waiter;
    }

    /** Whether {@code permit} is the one out now (not released, not reclaimed). */
    synchronized boolean holds(ReadPermit permit) {
        return holder == permit;
    }

    /** Called by {@link ReadPermit#close()} on any thread: hands the permit to the first waiter still waiting. */
    void release(ReadPermit permit) {
        Runnable handOff;
        synchronized (this) {
            if (holder != permit) {
                return;
            }
            handOff = handOver();
        }
        handOff.run();
    }

    /** Takes the permit from a holder that got it before {@code cutoffMs} and hands it on; returns the hand-off. */
    synchronized Runnable reclaimIfHeldSince(long cutoffMs) {
        if (holder == null || heldSince > cutoffMs || closedBecause != null) {
            return NOTHING;
        }
        return handOver();
    }

    /** Refuses all later acquires; returns the work that fails every waiter with {@code why}. */
    synchronized Runnable close(RuntimeException why) {
        closedBecause = why;
        holder = null;
        List<CompletableFuture<ReadPermit>> failed = List.copyOf(waiters);
        waiters.clear();
        return () -> failed.forEach(w -> w.completeExceptionally(why));
    }

    private ReadPermit take() {
        holder = permits.get();
        heldSince = clockMs.getAsLong();
        return holder;
    }

    /** Gives a fresh permit to the next waiter, or frees the gate. Holds the lock; completes nothing itself. */
    private Runnable handOver() {
        CompletableFuture<ReadPermit> next = closedBecause == null ? waiters.poll() : null;
        if (next == null) {
            holder = null;
            return NOTHING;
        }
        ReadPermit handed = take();
        return () -> {
            if (!next.complete(handed)) {
                release(handed); // that waiter gave up: pass it on to the one after
            }
        };
    }

    private void throwIfClosed() {
        if (closedBecause != null) {
            throw closedBecause;
        }
    }
}
