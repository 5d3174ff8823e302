package io.sluice.quota;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on something held while requests are in progress (bytes of produce bodies, parked reads): a request
 * {@link #tryAcquire acquires} its share before it starts and {@link #release releases} it when it ends; a request
 * that would take the total past the limit is refused, so the server sheds load instead of running out of memory.
 * A single request larger than the whole limit is admitted when nothing else is in flight, so it is never refused
 * forever. Thread-safe, lock-free.
 */
public final class InFlightBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public InFlightBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        this.limit = limit;
    }

    /** Takes {@code amount} if it fits (or if nothing is in flight); false takes nothing. */
    public boolean tryAcquire(long amount) {
        while (true) {
            long current = used.get();
            if (current > 0 && current + amount > limit) {
                return false;
            }
            if (used.compareAndSet(current, current + amount)) {
                return true;
            }
        }
    }

    /** Gives back what an admitted request took. */
    public void release(long amount) {
        used.addAndGet(-amount);
    }

    /** What is in flight now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
