package io.sluice.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Calls an action at a fixed rate from the calling thread: action {@code i} is due at {@code start + i/rate}; a
 * late action runs at once (no catch-up skipping), so a stall shows up as latency rather than as a lower rate.
 */
final class Pacer {

    private Pacer() {}

    static void run(int ratePerSecond, long count, LongConsumer action) {
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            action.accept(i);
        }
    }

    /** A value of {@code size} bytes that starts with {@code <nanoTime>:} (see {@link FetchPage}). */
    static String timedValue(long nanoTime, int size) {
        StringBuilder value = new StringBuilder(size).append(nanoTime).append(':');
        while (value.length() < size) {
            value.append('x');
        }
        return value.toString();
    }
}
