package io.sluice.group;

import io.sluice.common.Clock;
import io.sluice.common.TopicPartition;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One consumer instance of a group: its lease, its subscription or manual assignment, and its positions.
 *
 * <p>The owner is the principal that created the instance (null when security is off); it never changes, and only
 * it (or a super-user) may use the instance. It is part of the instance's state, so it lives wherever the
 * {@link GroupRegistry} keeps the groups and every node serving a call sees it.
 *
 * <p>Invariants: at most one of {@code subscription} and {@code manual} is set; {@code positions} only holds
 * partitions the instance owns (entries are dropped when a partition is taken away). A position is the offset of the
 * next record to return, so "everything returned so far" is exactly the positions.
 *
 * <p>Not thread-safe: guarded by the monitor of the owning {@link ConsumerGroup}, except {@link #gate()} which is
 * thread-safe on its own.
 */
final class ConsumerInstance {

    private final String id;
    private final InstanceConfig config;
    private final String owner;
    private final ReadGate gate;
    private final SortedMap<TopicPartition, Long> positions = new TreeMap<>();
    private long lastSeen;
    private long leaseExpiresAt;
    private Subscription subscription;
    private SortedSet<TopicPartition> manual;
    private int rotation;
    private long lastAutoCommit;

    ConsumerInstance(String group, String id, InstanceConfig config, String owner, Clock clock, long leaseMs) {
        long now = clock.milliseconds();
        this.id = id;
        this.owner = owner;
        this.config = config.withName(id);
        this.gate = new ReadGate(() -> new ReadPermit(group, id, this), clock::milliseconds);
        this.lastAutoCommit = now;
        renew(now, leaseMs);
    }

    String id() {
        return id;
    }

    /** The principal that created it; null if none (security off). */
    String owner() {
        return owner;
    }

    InstanceConfig config() {
        return config;
    }

    ReadGate gate() {
        return gate;
    }

    void renew(long now, long leaseMs) {
        lastSeen = now;
        leaseExpiresAt = now + leaseMs;
    }

    boolean expired(long now) {
        return now >= leaseExpiresAt;
    }

    long lastSeen() {
        return lastSeen;
    }

    long leaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** Whether it takes part in group assignment (it has a subscription). */
    boolean member() {
        return subscription != null;
    }

    Subscription subscription() {
        return subscription;
    }

    void subscribe(Subscription newSubscription) {
        subscription = newSubscription;
        manual = null;
    }

    SortedSet<TopicPartition> manual() {
        return manual;
    }

    void assignManually(Collection<TopicPartition> partitions) {
        subscription = null;
        manual = partitions.isEmpty() ? null : Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
        positions.keySet().retainAll(partitions);
    }

    void unsubscribe() {
        subscription = null;
        manual = null;
        positions.clear();
    }

    SortedMap<TopicPartition, Long> positions() {
        return positions;
    }

    /** Drops the positions of partitions it no longer owns, so a partition that comes back starts fresh. */
    void retainPositions(Collection<TopicPartition> owned) {
        positions.keySet().retainAll(owned);
    }

    /** The rotation for the next read plan; grows by one per plan. */
    int nextRotation() {
        return rotation++;
    }

    long lastAutoCommit() {
        return lastAutoCommit;
    }

    void autoCommitted(long now) {
        lastAutoCommit = now;
    }
}
