package io.sluice.group;

/**
 * Timing of the coordinator.
 *
 * @param leaseMs how long an instance lives without a call naming it; every call renews the lease
 * @param rebalanceDelayMs how long a membership change waits before the assignment is recomputed, so a burst of joins
 *     makes one generation instead of many; 0 recomputes at once
 * @param autoCommitIntervalMs the least time between two automatic commits of one auto-commit instance
 * @param readPermitTimeoutMs how long a read may hold its instance's {@link ReadPermit} before the coordinator treats
 *     it as abandoned and gives the permit to the next read; must exceed the longest long-poll the API allows
 */
public record GroupCoordinatorConfig(
        long leaseMs, long rebalanceDelayMs, long autoCommitIntervalMs, long readPermitTimeoutMs) {

    public GroupCoordinatorConfig {
        if (leaseMs <= 0 || readPermitTimeoutMs <= 0 || rebalanceDelayMs < 0 || autoCommitIntervalMs < 0) {
            throw new IllegalArgumentException("leaseMs and readPermitTimeoutMs must be > 0, the other durations >= 0");
        }
    }

    /** Confluent's 5 minute instance timeout, immediate rebalances, Kafka's 5 s auto-commit, 2 minute read permits. */
    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(300_000, 0, 5_000, 120_000);
    }

    public GroupCoordinatorConfig withLeaseMs(long ms) {
        return new GroupCoordinatorConfig(ms, rebalanceDelayMs, autoCommitIntervalMs, readPermitTimeoutMs);
    }

    public GroupCoordinatorConfig withRebalanceDelayMs(long ms) {
        return new GroupCoordinatorConfig(leaseMs, ms, autoCommitIntervalMs, readPermitTimeoutMs);
    }

    public GroupCoordinatorConfig withAutoCommitIntervalMs(long ms) {
        return new GroupCoordinatorConfig(leaseMs, rebalanceDelayMs, ms, readPermitTimeoutMs);
    }

    public GroupCoordinatorConfig withReadPermitTimeoutMs(long ms) {
        return new GroupCoordinatorConfig(leaseMs, rebalanceDelayMs, autoCommitIntervalMs, ms);
    }
}
