package io.sluice.common;

/**
 * The source of time for domain code. Everything that needs the wall clock or a monotonic timer takes a
 * {@code Clock} so tests can drive time by hand instead of sleeping.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Clock {

    /** Wall-clock time in milliseconds since the epoch; used for record timestamps and retention. */
    long milliseconds();

    /** A monotonic timer in nanoseconds with an arbitrary origin; used for measuring intervals only. */
    long nanoseconds();

    /** The real clock of the machine. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
