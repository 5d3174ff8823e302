package io.sluice.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test says so. Thread-safe. */
public final class ManualClock implements Clock {

    private final AtomicLong nanos;

    public ManualClock(long startMillis) {
        this.nanos = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(startMillis));
    }

    public ManualClock() {
        this(1_700_000_000_000L);
    }

    public void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }

    public void advanceMillis(long millis) {
        advance(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public long milliseconds() {
        return TimeUnit.NANOSECONDS.toMillis(nanos.get());
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }
}
