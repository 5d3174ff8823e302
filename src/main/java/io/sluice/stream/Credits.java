package io.sluice.stream;

import java.util.concurrent.CompletableFuture;

/**
 * Records a client has allowed a subscription to send (credit-based flow control). Granting adds, sending consumes;
 * a waiter parks until credit is positive. Outstanding credit is capped at {@link #MAX} so a buggy client cannot
 * overflow it. Thread-safe (the client grants on the socket's thread, the cursor consumes on another).
 */
public final class Credits {

    public static final long MAX = 1_000_000;

    private long available;
    private CompletableFuture<Void> waiter;

    public Credits(long initial) {
        this.available = Math.max(0, Math.min(initial, MAX));
    }

    public void grant(long records) {
        CompletableFuture<Void> wake;
        synchronized (this) {
            available = Math.min(MAX, available + Math.max(0, records));
            if (available == 0 || waiter == null) {
                return;
            }
            wake = waiter;
            waiter = null;
        }
        wake.complete(null);
    }

    public synchronized long available() {
        return available;
    }

    public synchronized void consume(long records) {
        available = Math.max(0, available - records);
    }

    /** Completes once credit is positive: at once if it already is. */
    public synchronized CompletableFuture<Void> awaitPositive() {
        if (available > 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (waiter == null) {
            waiter = new CompletableFuture<>();
        }
        return waiter;
    }
}
