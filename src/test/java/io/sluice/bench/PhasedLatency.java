package io.sluice.bench;

import java.util.Locale;

/**
 * Latencies of a fixed-rate run split by when each was started: before {@code measuredFrom} (a {@code nanoTime})
 * they go to the warm-up histogram, after it to the measured one. The warm-up's figures are still reported, so a
 * slow start (a fresh client JVM compiling its code, new connections) is visible rather than hidden. Thread-safe.
 */
final class PhasedLatency {

    private final long measuredFrom;
    private final LatencyStats warmup = new LatencyStats();
    private final LatencyStats measured = new LatencyStats();

    PhasedLatency(long measuredFrom) {
        this.measuredFrom = measuredFrom;
    }

    void record(long startedNanos, long endedNanos) {
        (startedNanos < measuredFrom ? warmup : measured).recordNanos(endedNanos - startedNanos);
    }

    LatencyStats measured() {
        return measured;
    }

    /** "p50 a / p99 b / p99.9 c ms (warm-up p99 d ms)". */
    String summary() {
        return measured.summary() + String.format(Locale.ROOT, " (warm-up p99 %.2f ms)", warmup.percentileMillis(99));
    }
}
