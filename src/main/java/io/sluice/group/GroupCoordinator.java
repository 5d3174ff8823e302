package io.sluice.group;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.assignor.Assignors;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The single authority over consumer groups: instances and their leases, subscriptions, generations and assignment,
 * positions, read permits and committed offsets. Every call names the group and the instance, so no state lives in a
 * connection; {@link GroupRegistry} says what moves to the controller once there are several nodes.
 *
 * <p><b>Leases.</b> Every call naming an instance renews its lease ({@link GroupCoordinatorConfig#leaseMs()}). An
 * instance whose lease ran out is removed by the next call touching its group, or by {@link #tick()} which the app
 * calls periodically; there is no thread of its own. A call naming a removed instance fails with
 * {@link ErrorCode#CONSUMER_INSTANCE_NOT_FOUND} saying that it expired (or was deleted).
 *
 * <p><b>Groups</b> follow the table in {@link GroupState}. Joining happens at {@link #subscribe}; any change of
 * membership, of the partitions of subscribed topics, or of the topics matching a pattern starts a new generation
 * (after {@link GroupCoordinatorConfig#rebalanceDelayMs()}).
 *
 * <p><b>Reads</b> go: {@link #acquireRead} or {@link #tryAcquireRead} (one permit per instance) → {@link #planRead}
 * (partitions and offsets, rotating; may be called again under the same permit after a wait) → the fetch service reads
 * → {@link #advance} (positions move past what was returned) → {@link ReadPermit#close()}. A position is the offset
 * of the next record to return, so "everything returned so far" ({@link #commitPositions}) commits the positions.
 *
 * <p><b>Thread-safety:</b> thread-safe. Each group's state is guarded by its own monitor; calls on different groups
 * run in parallel, and no call waits for another instance's read. Port calls (offset store, topic catalog, log
 * offsets) happen under the group's monitor, which also orders the commits of one group.
 */
public final class GroupCoordinator {

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final TopicCatalog topics;
    private final OffsetStore store;
    private final GroupRegistry registry;
    private final Committer committer;
    private final Rebalancer rebalancer;
    private final PositionKeeper positions;
    private final Membership membership;
    private final InstanceCalls calls;
    private final GroupAdmin admin;
    private volatile Runnable instanceCreated = () -> {};

    public GroupCoordinator(
            GroupCoordinatorConfig config,
            Clock clock,
            TopicCatalog topics,
            PartitionOffsets offsets,
            OffsetStore store,
            GroupRegistry registry,
            Supplier<String> instanceIds) {
        this.config = config;
        this.clock = clock;
        this.topics = topics;
        this.store = store;
        this.registry = registry;
        this.committer = new Committer(store);
        this.positions = new PositionKeeper(offsets, store);
        this.rebalancer = new Rebalancer(config, topics, this::autoCommitRevoked);
        this.membership = new Membership(config, clock, store, rebalancer, committer, instanceIds);
        this.calls = new InstanceCalls(config, clock, registry, membership, rebalancer, this::loadGroup);
        GroupViews views = new GroupViews(config, offsets, store);
        this.admin = new GroupAdmin(
                clock, registry, store, topics, positions, committer, membership, views, this::loadGroup);
    }

    /** A coordinator keeping live state in this node's memory, with random instance ids. */
    public GroupCoordinator(
            GroupCoordinatorConfig config,
            Clock clock,
            TopicCatalog topics,
            PartitionOffsets offsets,
            OffsetStore store) {
        this(config, clock, topics, offsets, store, new InMemoryGroupRegistry(), () -> "consumer-" + UUID.randomUUID());
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    // ---- instances ------------------------------------------------------------------------------------------------

    /**
     * Creates an instance (and the group, if new). The first instance of an empty group sets the group's assignor;
     * a later instance asking for a different one is a conflict.
     *
     * @throws SluiceException ALREADY_EXISTS if an instance with the wanted name is alive; CONFLICT on an assignor
     *     mismatch; INVALID_VALUE for an unknown assignor
     */
    public InstanceInfo createInstance(String group, InstanceConfig instanceConfig) {
        return createInstance(group, instanceConfig, null);
    }

    /**
     * {@link #createInstance(String, InstanceConfig)} owned by {@code owner}, the principal that asked (null: no
     * owner, security is off). The owner is kept with the instance's state, so every node serving a call sees it.
     */
    public InstanceInfo createInstance(String group, InstanceConfig instanceConfig, String owner) {
        if (group == null || group.isBlank() || group.length() > 255) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "group id must be 1-255 characters, not blank");
        }
        Assignors.byName(instanceConfig.assignor()); // validate before creating anything
        InstanceInfo created = calls.create(group, instanceConfig, owner);
        instanceCreated.run();
        return created;
    }

    /**
     * Runs {@code signal} after every instance creation, so that the periodic {@link #tick} need not run while
     * {@link #hasInstances} is false: without instances there are no leases to expire, no rebalances and no
     * subscriptions to extend. The signal runs on the creating thread: it must only schedule.
     */
    public void whenInstanceCreated(Runnable signal) {
        instanceCreated = signal;
    }

    /** Whether any instance is alive on this node (its lease watched by {@link #tick}). */
    public boolean hasInstances() {
        return calls.anyInstance();
    }

    /**
     * The principal that created the instance; empty if it has none or is not alive. Does not renew the lease (the
     * API asks this before letting a call through, and a refused caller must not keep someone else's instance alive).
     */
    public Optional<String> owner(String group, String instanceId) {
        return calls.owner(group, instanceId);
    }

    /** The instance's settings and lease; renews the lease. */
    public InstanceInfo instance(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> membership.info(g, i));
    }

    /**
     * Removes the instance at once; its partitions go to the others in a new generation. With auto-commit on, its
     * positions are committed first (it leaves cleanly, unlike an expired instance whose last records may be
     * unprocessed).
     */
    public void deleteInstance(String group, String instanceId) {
        calls.withInstance(group, instanceId, (g, i, now) -> {
            membership.leave(g, i, now);
            return i;
        });
    }

    // ---- subscription and assignment --------------------------------------------------------------------------

    /** Subscribes, which joins the group at once; replaces an earlier subscription. Refused while manually assigned. */
    public Assignment subscribe(String group, String instanceId, Subscription subscription) {
        return calls.withInstance(group, instanceId, (g, i, now) -> {
            if (i.manual() != null) {
                throw Ownership.exclusive();
            }
            if (!subscription.equals(i.subscription())) {
                i.subscribe(subscription);
                rebalancer.membershipChanged(g, now);
            }
            return Ownership.assignment(g, i);
        });
    }

    /** The current subscription, empty if none. */
    public Optional<Subscription> subscription(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> Optional.ofNullable(i.subscription()));
    }

    /** Leaves the group's assignment and drops any manual assignment; the instance itself stays. */
    public void unsubscribe(String group, String instanceId) {
        calls.withInstance(group, instanceId, (g, i, now) -> {
            boolean wasMember = i.member();
            i.unsubscribe();
            if (wasMember) {
                rebalancer.memberRemoved(g, i, now);
            }
            return i;
        });
    }

    /** The partitions the instance owns now. */
    public Assignment assignment(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> Ownership.assignment(g, i));
    }

    /**
     * Assigns partitions explicitly, like Kafka's {@code assign()}: no group management, no generations. An empty
     * collection clears the manual assignment. Refused while subscribed.
     *
     * @throws SluiceException TOPIC_NOT_FOUND / PARTITION_NOT_FOUND for partitions that do not exist
     */
    public Assignment assign(String group, String instanceId, Collection<TopicPartition> partitions) {
        return calls.withInstance(group, instanceId, (g, i, now) -> {
            if (i.member()) {
                throw Ownership.exclusive();
            }
            partitions.forEach(tp -> Partitions.requireExists(topics, tp));
            i.assignManually(partitions);
            return Ownership.assignment(g, i);
        });
    }

    // ---- positions ----------------------------------------------------------------------------------------------

    /** Positions (next offset to return) of owned partitions that have one; a fresh partition gets one when read. */
    public SortedMap<TopicPartition, Long> positions(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> new TreeMap<>(i.positions()));
    }

    /** Sets explicit positions of owned partitions; an out-of-range position is reset at the next read. */
    public SortedMap<TopicPartition, Long> seek(String group, String instanceId, Map<TopicPartition, Long> offsets) {
        return calls.withInstance(group, instanceId, (g, i, now) -> {
            Ownership.requireOwned(g, i, offsets.keySet());
            return positions.seek(i, offsets);
        });
    }

    /** Moves to the log start of the given owned partitions (all owned if empty); returns the new positions. */
    public SortedMap<TopicPartition, Long> seekToBeginning(
            String group, String instanceId, Collection<TopicPartition> partitions) {
        return calls.withInstance(
                group,
                instanceId,
                (g, i, now) -> positions.seekToEdge(i, Ownership.ownedOrAll(g, i, partitions), true));
    }

    /** Moves to the log end of the given owned partitions (all owned if empty); returns the new positions. */
    public SortedMap<TopicPartition, Long> seekToEnd(
            String group, String instanceId, Collection<TopicPartition> partitions) {
        return calls.withInstance(
                group,
                instanceId,
                (g, i, now) -> positions.seekToEdge(i, Ownership.ownedOrAll(g, i, partitions), false));
    }

    /** Moves each owned partition to its first offset with a timestamp at least the given one (else the log end). */
    public SortedMap<TopicPartition, Long> seekToTimestamp(
            String group, String instanceId, Map<TopicPartition, Long> timestamps) {
        return calls.withInstance(group, instanceId, (g, i, now) -> {
            Ownership.requireOwned(g, i, timestamps.keySet());
            return positions.seekToTimestamps(i, timestamps);
        });
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    /** The read permit of the instance if no other read holds it, else empty (refuse the second read). */
    public Optional<ReadPermit> tryAcquireRead(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> {
            calls.reclaimAbandonedPermit(g, i, now);
            return i.gate().tryAcquire();
        });
    }

    /**
     * The read permit of the instance, now or once the reads before it released theirs. Cancel the future (or let
     * {@code orTimeout} fail it) to stop waiting. Fails with CONSUMER_INSTANCE_NOT_FOUND if the instance goes away.
     */
    public CompletableFuture<ReadPermit> acquireRead(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> {
            calls.reclaimAbandonedPermit(g, i, now);
            return i.gate().acquire();
        });
    }

    /**
     * Completes with the generation number once a generation after {@code knownGeneration} starts (at once if one
     * already has). A long-poll whose plan was empty waits on this and on new data, so a read by a member waiting for
     * partitions returns as soon as it gets some. Completed outside any lock; cancelling it only stops this waiter.
     */
    public CompletableFuture<Integer> generationAfter(String group, String instanceId, int knownGeneration) {
        return calls.withInstance(group, instanceId, (g, i, now) -> g.generationAfter(knownGeneration));
    }

    /**
     * What to read next: every owned partition from its position, rotated by one partition per call. Initialises new
     * positions and resets out-of-range ones (reported in {@link ReadPlan#resets()}); auto-commits when due; notices
     * new partitions and newly matching topics.
     *
     * @throws SluiceException OFFSET_OUT_OF_RANGE if a position is invalid and auto.offset.reset is none; CONFLICT if
     *     the permit was reclaimed after {@link GroupCoordinatorConfig#readPermitTimeoutMs()}
     */
    public ReadPlan planRead(ReadPermit permit) {
        return calls.withPermit(permit, (g, i, now) -> {
            rebalancer.checkTopics(g, now);
            committer.maybeAutoCommit(g, i, now, config.autoCommitIntervalMs());
            return positions.plan(g, i);
        });
    }

    /**
     * Moves positions past the records returned. Applied per partition only if the instance still owns it and the
     * position is still where {@code plan} read from (a concurrent seek or rebalance wins).
     *
     * @param nextOffsets per partition, the offset after the last record returned
     * @return the positions actually moved
     */
    public SortedMap<TopicPartition, Long> advance(
            ReadPermit permit, ReadPlan plan, Map<TopicPartition, Long> nextOffsets) {
        return calls.withPermit(permit, (g, i, now) -> positions.advance(g, i, plan, nextOffsets));
    }

    /** The fetch found {@code tp} out of range (retention ran after the plan): reset it by the instance's policy. */
    public PositionReset outOfRange(ReadPermit permit, TopicPartition tp, long logStartOffset, long logEndOffset) {
        return calls.withPermit(permit, (g, i, now) -> {
            Ownership.requireOwned(g, i, Set.of(tp));
            return positions.outOfRange(i, tp, logStartOffset, logEndOffset);
        });
    }

    // ---- offsets ------------------------------------------------------------------------------------------------

    /**
     * Commits explicit offsets (the next offset to read, per partition). All or nothing.
     *
     * @throws SluiceException NOT_OWNER (409) if any partition is not owned by the instance now
     */
    public SortedMap<TopicPartition, Long> commit(String group, String instanceId, Map<TopicPartition, Long> offsets) {
        return calls.withInstance(group, instanceId, (g, i, now) -> committer.commit(g, i, offsets, now));
    }

    /** Commits everything returned so far: the positions of all owned partitions. */
    public SortedMap<TopicPartition, Long> commitPositions(String group, String instanceId) {
        return calls.withInstance(group, instanceId, (g, i, now) -> committer.commitPositions(g, i, g.owned(i), now));
    }

    /** The group's committed offsets of the given partitions (all owned if empty); missing ones are left out. */
    public SortedMap<TopicPartition, CommittedOffset> committed(
            String group, String instanceId, Collection<TopicPartition> partitions) {
        return calls.withInstance(group, instanceId, (g, i, now) -> committer.committed(g, i, partitions));
    }

    // ---- groups -------------------------------------------------------------------------------------------------

    /** Every group: live ones and those known only from the offset store (EMPTY, e.g. after a restart). */
    public List<GroupSummary> listGroups() {
        return admin.list();
    }

    /**
     * State, generation, members with assignment and last-seen time, and per partition committed offset, log end
     * and lag.
     *
     * @throws SluiceException CONSUMER_GROUP_NOT_FOUND if the group is unknown
     */
    public GroupView describe(String group) {
        return admin.describe(group);
    }

    /**
     * Moves the committed offsets of an EMPTY group. {@code topics} empty means every partition with a committed
     * offset; ignored for {@link ResetTarget.ToOffsets}.
     *
     * @throws SluiceException GROUP_NOT_EMPTY if instances are alive; CONSUMER_GROUP_NOT_FOUND if unknown
     */
    public SortedMap<TopicPartition, Long> resetOffsets(String group, Set<String> topics, ResetTarget target) {
        return admin.resetOffsets(group, topics, target);
    }

    /**
     * Deletes an EMPTY group with its committed offsets.
     *
     * @throws SluiceException GROUP_NOT_EMPTY if instances are alive; CONSUMER_GROUP_NOT_FOUND if unknown
     */
    public void deleteGroup(String group) {
        admin.delete(group);
    }

    // ---- time ---------------------------------------------------------------------------------------------------

    /**
     * Removes every instance whose lease ran out, completes rebalances whose delay passed and reclaims abandoned read
     * permits; returns how many instances expired.
     */
    public int expireLeases() {
        return calls.expireLeases();
    }

    /** Checks every group for new partitions or newly matching topics; call when topics change. */
    public void topicsChanged() {
        calls.topicsChanged();
    }

    /** The periodic housekeeping: {@link #expireLeases()} then {@link #topicsChanged()}; returns how many expired. */
    public int tick() {
        int expired = expireLeases();
        topicsChanged();
        return expired;
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private ConsumerGroup loadGroup(String name) {
        return new ConsumerGroup(
                name, store.group(name).map(GroupDefinition::assignor).orElse(Assignors.DEFAULT));
    }

    private void autoCommitRevoked(ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> revoked) {
        committer.autoCommitRevoked(group, instance, revoked, clock.milliseconds());
    }
}
