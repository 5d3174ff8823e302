package io.sluice.quota;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit as a token bucket, kept as one number (the generic cell rate algorithm): the <em>theoretical arrival
 * time</em>, the instant at which the bucket would be full again if nothing more were taken. Taking {@code n} units
 * pushes it {@code n / rate} seconds further; the bucket is over its limit while it lies more than {@code burst} ahead
 * of now. A bucket that allows a burst of {@code burst} at {@code rate} units per second therefore admits
 * {@code rate × (burst + t)} units over any {@code t} seconds.
 *
 * <p>Two ways to use it: {@link #tryTake} refuses units that do not fit (requests per second), while {@link #charge}
 * always takes and lets the bucket run into debt, which later callers see through {@link #waitNanos} (bytes, which are
 * known only once a request is under way). Times are {@link io.sluice.common.Clock#nanoseconds()} readings.
 *
 * <p>Thread-safe and lock-free: one compare-and-set per call, no allocation.
 */
public final class TokenBucket {

    private final double nanosPerUnit;
    private final long burstNanos;
    private final AtomicLong fullAt;

    /**
     * @param unitsPerSecond the sustained rate, above 0
     * @param burst how much time's worth of units may be taken at once (at least one unit's worth is allowed)
     * @param nowNanos the current time; the bucket starts full
     */
    public TokenBucket(double unitsPerSecond, Duration burst, long nowNanos) {
        if (!(unitsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0, got " + unitsPerSecond);
        }
        this.nanosPerUnit = 1e9 / unitsPerSecond;
        this.burstNanos = Math.max(burst.toNanos(), (long) Math.ceil(nanosPerUnit));
        this.fullAt = new AtomicLong(nowNanos);
    }

    /** Takes {@code units} if they fit: returns 0, or (taking nothing) the nanoseconds until they would fit. */
    public long tryTake(long units, long nowNanos) {
        long cost = cost(units);
        while (true) {
            long current = fullAt.get();
            long next = Math.max(current, nowNanos) + cost;
            long wait = next - nowNanos - burstNanos;
            if (wait > 0) {
                return wait;
            }
            if (fullAt.compareAndSet(current, next)) {
                return 0;
            }
        }
    }

    /** Takes {@code units} whether they fit or not; the debt delays later callers. */
    public void charge(long units, long nowNanos) {
        long cost = cost(units);
        while (true) {
            long current = fullAt.get();
            if (fullAt.compareAndSet(current, Math.max(current, nowNanos) + cost)) {
                return;
            }
        }
    }

    /** 0 while the bucket is within its limit, else the nanoseconds until it is again. */
    public long waitNanos(long nowNanos) {
        return Math.max(0, fullAt.get() - nowNanos - burstNanos);
    }

    private long cost(long units) {
        double nanos = units * nanosPerUnit;
        return nanos >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) nanos;
    }
}
