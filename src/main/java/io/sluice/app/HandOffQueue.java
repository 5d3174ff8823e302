package io.sluice.app;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work queue of the storage pool: lock-free, so the network event loops that hand work over never park (an
 * {@code ArrayBlockingQueue} takes a lock on every {@code offer}, and under contention the event loop waited for it),
 * yet bounded: {@link #offer} refuses beyond {@code capacity} waiting tasks, which the pool turns into a rejection (a
 * 429). The count is kept beside the queue because {@link LinkedTransferQueue#size()} walks it; it may briefly
 * overshoot by the number of concurrent offers ({@code drainTo} and {@code clear} take through {@link #poll()}, so
 * they count too). Waking an idle worker is an unpark, never a wait. Thread-safe.
 */
final class HandOffQueue extends LinkedTransferQueue<Runnable> {

    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger();

    HandOffQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public boolean offer(Runnable task) {
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            return false;
        }
        return super.offer(task);
    }

    @Override
    public Runnable take() throws InterruptedException {
        return taken(super.take());
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        return taken(super.poll(timeout, unit));
    }

    @Override
    public Runnable poll() {
        return taken(super.poll());
    }

    @Override
    public boolean remove(Object task) {
        boolean removed = super.remove(task);
        if (removed) {
            waiting.decrementAndGet();
        }
        return removed;
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, capacity - waiting.get());
    }

    private Runnable taken(Runnable task) {
        if (task != null) {
            waiting.decrementAndGet();
        }
        return task;
    }
}
