package io.sluice.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Per-request (or per-record) latencies in microseconds, up to one hour, three significant digits, in an
 * HdrHistogram. Safe to record from several threads at once.
 */
final class LatencyStats {

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);

    void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos / 1_000, histogram.getHighestTrackableValue())));
    }

    long count() {
        return histogram.getTotalCount();
    }

    double percentileMillis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    /** "p50 a / p99 b / p99.9 c ms". */
    String summary() {
        return String.format(
                Locale.ROOT,
                "p50 %.2f / p99 %.2f / p99.9 %.2f ms",
                percentileMillis(50),
                percentileMillis(99),
                percentileMillis(99.9));
    }
}
