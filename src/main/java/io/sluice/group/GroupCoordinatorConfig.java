package io.sluice.group;

/**
 * Timing of the coordinator.
 *
 * @param leaseMs how long an instance lives without a call naming it; every call renews the lease
 * @param rebalanceDelayMs how long a membership change waits before the assignment is recomputed, so a burst of joins
 *     makes one generation instead of many; 0 recomputes at once
 * @param autoCommitIntervalMs the least time between two automatic commits of one auto-commit instance
 */
public record GroupCoordinatorConfig(long leaseMs, long rebalanceDelayMs, long autoCommitIntervalMs) {

    public GroupCoordinatorConfig {
        if (leaseMs <= 0 || rebalanceDelayMs < 0 || autoCommitIntervalMs < 0) {
            throw new IllegalArgumentException("leaseMs must be > 0, the other durations >= 0");
        }
    }

    /** Confluent's 5 minute instance timeout, immediate rebalances, Kafka's 5 s auto-commit interval. */
    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(300_000, 0, 5_000);
    }

    public GroupCoordinatorConfig withLeaseMs(long ms) {
        return new GroupCoordinatorConfig(ms, rebalanceDelayMs, autoCommitIntervalMs);
    }

    public GroupCoordinatorConfig withRebalanceDelayMs(long ms) {
        return new GroupCoordinatorConfig(leaseMs, ms, autoCommitIntervalMs);
    }

    public GroupCoordinatorConfig withAutoCommitIntervalMs(long ms) {
        return new GroupCoordinatorConfig(leaseMs, rebalanceDelayMs, ms);
    }
}
