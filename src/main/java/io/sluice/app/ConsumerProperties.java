package io.sluice.app;

import java.time.Duration;

/**
 * Consumer groups ({@code sluice.consumer.*}): instance leases, rebalance and auto-commit timing, and the longest
 * long-poll of a group read. Mutable bean bound once at start.
 */
public class ConsumerProperties {

    /** How long a consumer instance lives without a request naming it; every request renews it. */
    private Duration lease = Duration.ofMinutes(5);

    /** How long a membership change waits before partitions are reassigned, so a burst of joins is one rebalance. */
    private Duration rebalanceDelay = Duration.ZERO;

    /** Least time between two automatic commits of an instance with auto.commit.enable. */
    private Duration autoCommitInterval = Duration.ofSeconds(5);

    /** Upper bound for the timeout of a group read (also capped at half the lease, so a waiting read never expires). */
    private Duration maxWait = Duration.ofSeconds(30);

    /** How often leases are checked, delayed rebalances completed and new partitions noticed. */
    private Duration tickInterval = Duration.ofSeconds(1);

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getRebalanceDelay() {
        return rebalanceDelay;
    }

    public void setRebalanceDelay(Duration rebalanceDelay) {
        this.rebalanceDelay = rebalanceDelay;
    }

    public Duration getAutoCommitInterval() {
        return autoCommitInterval;
    }

    public void setAutoCommitInterval(Duration autoCommitInterval) {
        this.autoCommitInterval = autoCommitInterval;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public Duration getTickInterval() {
        return tickInterval;
    }

    public void setTickInterval(Duration tickInterval) {
        this.tickInterval = tickInterval;
    }
}
