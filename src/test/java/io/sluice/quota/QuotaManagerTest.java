package io.sluice.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuotaManagerTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void requestsPerSecondAreCountedPerPrincipal() {
        QuotaManager quotas = new QuotaManager(clock, new QuotaLimits(0, 0, 2), Map.of(), Duration.ofSeconds(1));
        assertThat(quotas.admit("alice", Traffic.OTHER)).isZero();
        assertThat(quotas.admit("alice", Traffic.PRODUCE)).isZero();
        assertThat(quotas.admit("alice", Traffic.READ)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(quotas.admit("bob", Traffic.READ))
                .as("bob has his own bucket")
                .isZero();
        clock.advanceMillis(500);
        assertThat(quotas.admit("alice", Traffic.READ)).isZero();
    }

    @Test
    void produceDebtHoldsBackProducesButNotReads() {
        QuotaManager quotas = new QuotaManager(clock, new QuotaLimits(1000, 0, 0), Map.of(), Duration.ofSeconds(1));
        assertThat(quotas.admit("alice", Traffic.PRODUCE)).isZero();
        quotas.charge("alice", Traffic.PRODUCE, 5000);
        assertThat(quotas.admit("alice", Traffic.PRODUCE)).isEqualTo(TimeUnit.SECONDS.toNanos(4));
        assertThat(quotas.admit("alice", Traffic.READ)).isZero();
        assertThat(quotas.admit("alice", Traffic.OTHER)).isZero();
        clock.advanceMillis(4000);
        assertThat(quotas.admit("alice", Traffic.PRODUCE)).isZero();
    }

    @Test
    void debtIsReportedWithoutTakingAnything() {
        QuotaManager quotas = new QuotaManager(clock, new QuotaLimits(100, 0, 0), Map.of(), Duration.ofSeconds(1));
        assertThat(quotas.debt("alice", Traffic.PRODUCE)).isZero();
        quotas.charge("alice", Traffic.PRODUCE, 300);
        assertThat(quotas.debt("alice", Traffic.PRODUCE)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(quotas.debt("alice", Traffic.PRODUCE)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(quotas.debt("alice", Traffic.READ)).as("unlimited").isZero();
    }

    @Test
    void readBytesAreLimitedSeparately() {
        QuotaManager quotas = new QuotaManager(clock, new QuotaLimits(0, 100, 0), Map.of(), Duration.ofSeconds(1));
        quotas.charge("alice", Traffic.READ, 300);
        quotas.charge("alice", Traffic.PRODUCE, 1_000_000);
        assertThat(quotas.admit("alice", Traffic.READ)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(quotas.admit("alice", Traffic.PRODUCE)).isZero();
    }

    @Test
    void anOverrideReplacesTheDefaultsForItsPrincipalOnly() {
        QuotaManager quotas = new QuotaManager(
                clock, new QuotaLimits(0, 0, 1), Map.of("batch-job", QuotaLimits.UNLIMITED), Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            assertThat(quotas.admit("batch-job", Traffic.PRODUCE)).isZero();
        }
        assertThat(quotas.admit("web", Traffic.OTHER)).isZero();
        assertThat(quotas.admit("web", Traffic.OTHER)).isPositive();
        assertThat(quotas.limitsOf("batch-job")).isEqualTo(QuotaLimits.UNLIMITED);
    }

    @Test
    void enabledOnlyWhenSomethingIsLimited() {
        assertThat(new QuotaManager(clock, QuotaLimits.UNLIMITED, Map.of(), Duration.ofSeconds(1)).enabled())
                .isFalse();
        assertThat(new QuotaManager(
                                clock,
                                QuotaLimits.UNLIMITED,
                                Map.of("x", new QuotaLimits(0, 1, 0)),
                                Duration.ofSeconds(1))
                        .enabled())
                .isTrue();
    }

    @Test
    void aRefusedRequestTakesNoToken() {
        QuotaManager quotas = new QuotaManager(clock, new QuotaLimits(0, 0, 1), Map.of(), Duration.ofSeconds(1));
        assertThat(quotas.admit("alice", Traffic.OTHER)).isZero();
        for (int i = 0; i < 50; i++) {
            assertThat(quotas.admit("alice", Traffic.OTHER)).isPositive();
        }
        clock.advanceMillis(1000);
        assertThat(quotas.admit("alice", Traffic.OTHER))
                .as("retries did not dig a deeper hole")
                .isZero();
    }
}
