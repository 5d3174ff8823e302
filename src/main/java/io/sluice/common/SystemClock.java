package io.sluice.common;

/** The machine's clock: the only place domain code reads time from {@link System}. Thread-safe. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long milliseconds() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanoseconds() {
        return System.nanoTime();
    }
}
