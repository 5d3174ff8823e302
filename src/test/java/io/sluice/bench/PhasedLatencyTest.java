package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhasedLatencyTest {

    private static final long MEASURED_FROM = 10_000_000_000L;

    @Test
    void latenciesStartedBeforeTheBoundaryAreWarmUpAndReportedApart() {
        PhasedLatency latency = new PhasedLatency(MEASURED_FROM);

        latency.record(MEASURED_FROM - 1, MEASURED_FROM - 1 + 900_000_000L);
        latency.record(MEASURED_FROM, MEASURED_FROM + 2_000_000L);
        latency.record(MEASURED_FROM + 5, MEASURED_FROM + 5 + 2_000_000L);

        assertThat(latency.measured().count()).isEqualTo(2);
        assertThat(latency.measured().percentileMillis(99)).isBetween(1.99, 2.01);
        // the histogram keeps three significant digits, so 900 ms reads back as 900.1
        assertThat(latency.summary())
                .startsWith("p50 2.00 / p99 2.00 /")
                .matches(".*\\(warm-up p99 900\\.\\d\\d ms\\)");
    }
}
