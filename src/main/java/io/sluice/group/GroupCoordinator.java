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
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The single authority over consumer groups: instances and their leases, subscriptions, generations and assignment,
 * positions, read permits and committed offsets. Every call names the group and the instance, so no state lives in a
 * connection; see {@link GroupRegistry} for what moves to the controller once there are several nodes.
 *
 * <p><b>Leases.</b> Every call naming an instance renews its lease ({@link GroupCoordinatorConfig#leaseMs()}). An
 * instance whose lease ran out is removed lazily, by the next call touching its group, or by {@link #expireLeases()}
 * / {@link #tick()} which the app calls periodically; no thread of its own. A call naming a removed instance fails with
 * {@link ErrorCode#CONSUMER_INSTANCE_NOT_FOUND} saying that it expired (or was deleted).
 *
 * <p><b>Groups</b> follow the table in {@link GroupState}. Joining happens at {@link #subscribe}; any change of
 * membership, of the partitions of subscribed topics, or of the topics matching a pattern starts a new generation
 * (after {@link GroupCoordinatorConfig#rebalanceDelayMs()}).
 *
 * <p><b>Reads</b> go: {@link #acquireRead}/{@link #tryAcquireRead} (one permit per instance) → {@link #planRead}
 * (partitions and offsets, rotating) → the fetch service reads → {@link #advance} (positions move past what was
 * returned) → {@link ReadPermit#close()}. A position is the offset of the next record to return, so "everything
 * returned so far" ({@link #commitPositions}) commits the positions.
 *
 * <p><b>Thread-safety:</b> thread-safe. Each group's state is guarded by its own monitor; calls on different groups
 * run in parallel. Port calls (offset store, topic catalog, log offsets) happen under the group's monitor, so commits
 * of one group are ordered. No call blocks on another instance's read.
 */
public final class GroupCoordinator {

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final TopicCatalog topics;
    private final OffsetStore store;
    private final GroupRegistry registry;
    private final Supplier<String> instanceIds;
    private final Committer committer;
    private final Rebalancer rebalancer;
    private final PositionKeeper positions;
    private final GroupViews views;

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
        this.instanceIds = instanceIds;
        this.committer = new Committer(store);
        this.positions = new PositionKeeper(offsets, store);
        this.rebalancer = new Rebalancer(config, topics, this::autoCommitRevoked);
        this.views = new GroupViews(config, offsets, store);
    }

    /** A coordinator keeping live state in memory, with random instance ids. */
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

    // ---- instances -------------------------------------------------------------------------------------------

    /**
     * Creates an instance (and the group, if new). The group's assignor is set by the first instance of an empty
     * group; a later instance asking for a different one is a conflict.
     *
     * @throws SluiceException ALREADY_EXISTS if an instance with the wanted name is alive; CONFLICT on an assignor
     *     mismatch; INVALID_VALUE for an unknown assignor
     */
    public InstanceInfo createInstance(String groupId, InstanceConfig instanceConfig) {
        String wanted = instanceConfig.assignor();
        Assignors.byName(wanted); // validate before creating anything
        while (true) {
            ConsumerGroup group = registry.getOrCreate(groupId, this::loadGroup);
            synchronized (group) {
                if (group.state() == GroupState.DEAD) {
                    continue; // deleted concurrently; make a fresh one
                }
                long now = clock.milliseconds();
                expireDue(group, now);
                return join(group, instanceConfig, now);
            }
        }
    }

    private InstanceInfo join(ConsumerGroup group, InstanceConfig instanceConfig, long now) {
        String wanted = instanceConfig.assignor();
        if (wanted != null && !wanted.equals(group.assignor())) {
            if (!group.instances().isEmpty()) {
                throw new SluiceException(
                        ErrorCode.CONFLICT,
                        "group " + group.name() + " uses assignment strategy " + group.assignor() + ", not " + wanted);
            }
            group.assignor(wanted);
        }
        String id = instanceConfig.name() != null ? instanceConfig.name() : instanceIds.get();
        if (group.instances().containsKey(id)) {
            throw new SluiceException(
                    ErrorCode.ALREADY_EXISTS, "consumer instance " + id + " already exists in group " + group.name());
        }
        if (group.instances().isEmpty()) {
            store.saveGroup(new GroupDefinition(group.name(), group.assignor(), definitionCreatedAt(group, now)));
            group.moveTo(GroupState.STABLE);
        }
        ConsumerInstance instance = new ConsumerInstance(group.name(), id, instanceConfig, now, config.leaseMs());
        group.instances().put(id, instance);
        group.forgetDeparture(id);
        return info(group, instance);
    }

    /** The instance's settings and lease; renews the lease. */
    public InstanceInfo instance(String group, String instanceId) {
        return withInstance(group, instanceId, (g, i, now) -> info(g, i));
    }

    /**
     * Removes the instance at once: its partitions go to the others in a new generation. With auto-commit on, its
     * positions are committed first (it leaves cleanly, unlike an expired instance whose last records may be
     * unprocessed).
     */
    public void deleteInstance(String group, String instanceId) {
        withInstance(group, instanceId, (g, i, now) -> {
            if (i.config().autoCommit()) {
                committer.commitPositions(g, i, g.owned(i), now);
            }
            remove(g, i, "was deleted at " + now, now);
            return null;
        });
    }

    // ---- subscription and assignment ---------------------------------------------------------------------------

    /** Subscribes (joins the group); replaces an earlier subscription. Refused while manually assigned. */
    public Assignment subscribe(String group, String instanceId, Subscription subscription) {
        return withInstance(group, instanceId, (g, i, now) -> {
            if (i.manual() != null) {
                throw new SluiceException(
                        ErrorCode.CONFLICT,
                        "subscription and manual assignment are mutually exclusive; unsubscribe first");
            }
            if (!subscription.equals(i.subscription())) {
                i.subscribe(subscription);
                rebalancer.membershipChanged(g, now);
            }
            return assignment(g, i);
        });
    }

    /** The current subscription, empty if none. */
    public Optional<Subscription> subscription(String group, String instanceId) {
        return withInstance(group, instanceId, (g, i, now) -> Optional.ofNullable(i.subscription()));
    }

    /** Leaves the group's assignment and drops any manual assignment; the instance itself stays. */
    public void unsubscribe(String group, String instanceId) {
        withInstance(group, instanceId, (g, i, now) -> {
            boolean wasMember = i.member();
            i.unsubscribe();
            if (wasMember) {
                rebalancer.memberRemoved(g, i, now);
            }
            return null;
        });
    }

    /** The partitions the instance owns now. */
    public Assignment assignment(String group, String instanceId) {
        return withInstance(group, instanceId, this::assignment);
    }

    /**
     * Assigns partitions explicitly, like Kafka's {@code assign()}: no group management, no generations. An empty
     * collection clears the manual assignment. Refused while subscribed.
     *
     * @throws SluiceException TOPIC_NOT_FOUND / PARTITION_NOT_FOUND for partitions that do not exist
     */
    public Assignment assign(String group, String instanceId, Collection<TopicPartition> partitions) {
        return withInstance(group, instanceId, (g, i, now) -> {
            if (i.member()) {
                throw new SluiceException(
                        ErrorCode.CONFLICT,
                        "subscription and manual assignment are mutually exclusive; unsubscribe first");
            }
            partitions.forEach(this::requireExists);
            i.assignManually(partitions);
            return assignment(g, i);
        });
    }

    // ---- positions --------------------------------------------------------------------------------------------

    /** Positions (next offset to return) of owned partitions that have one; a fresh partition has none yet. */
    public SortedMap<TopicPartition, Long> positions(String group, String instanceId) {
        return withInstance(group, instanceId, (g, i, now) -> new TreeMap<>(i.positions()));
    }

    /** Sets explicit positions of owned partitions; out-of-range positions are reset at the next read. */
    public SortedMap<TopicPartition, Long> seek(String group, String instanceId, Map<TopicPartition, Long> offsets) {
        return withInstance(group, instanceId, (g, i, now) -> {
            requireOwned(g, i, offsets.keySet());
            offsets.forEach((tp, offset) -> {
                if (offset < 0) {
                    throw new SluiceException(ErrorCode.INVALID_VALUE, "offset for " + tp + " must be >= 0");
                }
            });
            i.positions().putAll(offsets);
            return new TreeMap<>(offsets);
        });
    }

    /** Moves to the log start of the given owned partitions (all owned if empty); returns the new positions. */
    public SortedMap<TopicPartition, Long> seekToBeginning(
            String group, String instanceId, Collection<TopicPartition> partitions) {
        return withInstance(
                group, instanceId, (g, i, now) -> positions.seekToEdge(i, ownedOrAll(g, i, partitions), true));
    }

    /** Moves to the log end of the given owned partitions (all owned if empty); returns the new positions. */
    public SortedMap<TopicPartition, Long> seekToEnd(
            String group, String instanceId, Collection<TopicPartition> partitions) {
        return withInstance(
                group, instanceId, (g, i, now) -> positions.seekToEdge(i, ownedOrAll(g, i, partitions), false));
    }

    /** Moves each owned partition to its first offset with a timestamp at least the given one (else the log end). */
    public SortedMap<TopicPartition, Long> seekToTimestamp(
            String group, String instanceId, Map<TopicPartition, Long> timestamps) {
        return withInstance(group, instanceId, (g, i, now) -> {
            requireOwned(g, i, timestamps.keySet());
            return positions.seekToTimestamps(i, timestamps);
        });
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    /** The read permit of the instance if no other read holds it, else empty (refuse the second read). */
    public Optional<ReadPermit> tryAcquireRead(String group, String instanceId) {
        return withInstance(group, instanceId, (g, i, now) -> i.gate().tryAcquire());
    }

    /**
     * The read permit of the instance, now or once the reads before it released theirs. Cancel the future (or let
     * {@code orTimeout} fail it) to stop waiting. Fails with CONSUMER_INSTANCE_NOT_FOUND if the instance goes away.
     */
    public CompletableFuture<ReadPermit> acquireRead(String group, String instanceId) {
        return withInstance(group, instanceId, (g, i, now) -> i.gate().acquire());
    }

    /**
     * What to read next: every owned partition from its position, rotated by one partition per call. Initialises new
     * positions and resets out-of-range ones (reported in {@link ReadPlan#resets()}); auto-commits the positions when
     * due; notices new partitions and topics.
     *
     * @throws SluiceException OFFSET_OUT_OF_RANGE if a position is invalid and auto.offset.reset is none
     */
    public ReadPlan planRead(ReadPermit permit) {
        return withPermit(permit, (g, i, now) -> {
            rebalancer.checkTopics(g, now);
            maybeAutoCommit(g, i, now);
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
        return withPermit(permit, (g, i, now) -> {
            SortedMap<TopicPartition, Long> moved = new TreeMap<>();
            Set<TopicPartition> owned = g.owned(i);
            for (PartitionRead read : plan.reads()) {
                Long next = nextOffsets.get(read.partition());
                Long current = i.positions().get(read.partition());
                if (next != null
                        && owned.contains(read.partition())
                        && current != null
                        && current == read.offset()
                        && next >= current) {
                    i.positions().put(read.partition(), next);
                    moved.put(read.partition(), next);
                }
            }
            return moved;
        });
    }

    /** The fetch found {@code tp} out of range (retention ran after the plan): reset it by the instance's policy. */
    public PositionReset outOfRange(ReadPermit permit, TopicPartition tp, long logStartOffset, long logEndOffset) {
        return withPermit(permit, (g, i, now) -> {
            requireOwned(g, i, Set.of(tp));
            return positions.outOfRange(i, tp, logStartOffset, logEndOffset);
        });
    }

    // ---- offsets ----------------------------------------------------------------------------------------------

    /**
     * Commits explicit offsets (next offset to read). All or nothing.
     *
     * @throws SluiceException NOT_OWNER (409) if any partition is not owned by the instance now
     */
    public SortedMap<TopicPartition, Long> commit(String group, String instanceId, Map<TopicPartition, Long> offsets) {
        return withInstance(group, instanceId, (g, i, now) -> committer.commit(g, i, offsets, now));
    }

    /** Commits everything returned so far: the positions of all owned partitions. */
    public SortedMap<TopicPartition, Long> commitPositions(String group, String instanceId) {
        return withInstance(group, instanceId, (g, i, now) -> committer.commitPositions(g, i, g.owned(i), now));
    }

    /** The group's committed offsets of the given partitions (all owned if empty); missing ones are left out. */
    public SortedMap<TopicPartition, CommittedOffset> committed(
            String group, String instanceId, Collection<TopicPartition> partitions) {
        return withInstance(group, instanceId, (g, i, now) -> {
            Collection<TopicPartition> wanted = partitions.isEmpty() ? g.owned(i) : partitions;
            SortedMap<TopicPartition, CommittedOffset> result = new TreeMap<>(store.committed(g.name()));
            result.keySet().retainAll(wanted);
            return result;
        });
    }

    // ---- groups -----------------------------------------------------------------------------------------------

    /** Every group: live ones and those known only from the offset store (EMPTY after a restart). */
    public List<GroupSummary> listGroups() {
        return views.list(registry.all(), this::expireDueLocked);
    }

    /**
     * State, generation, members with assignment and last-seen time, and per partition committed offset, log end
     * and lag.
     *
     * @throws SluiceException CONSUMER_GROUP_NOT_FOUND if the group is unknown
     */
    public GroupView describe(String group) {
        Optional<ConsumerGroup> live = registry.get(group);
        if (live.isPresent()) {
            ConsumerGroup g = live.get();
            synchronized (g) {
                if (g.state() != GroupState.DEAD) {
                    expireDue(g, clock.milliseconds());
                    return views.describe(g);
                }
            }
        }
        return views.describeStored(group);
    }

    /**
     * Moves the committed offsets of an EMPTY group. {@code topics} empty means every partition with a committed
     * offset; ignored for {@link ResetTarget.ToOffsets}.
     *
     * @throws SluiceException GROUP_NOT_EMPTY if instances are alive; CONSUMER_GROUP_NOT_FOUND if unknown
     */
    public SortedMap<TopicPartition, Long> resetOffsets(String group, Set<String> resetTopics, ResetTarget target) {
        return withEmptyGroup(group, g -> {
            SortedMap<TopicPartition, Long> offsets = new TreeMap<>();
            for (TopicPartition tp : resetPartitions(group, resetTopics, target)) {
                offsets.put(tp, resetOffset(tp, target));
            }
            return committer.write(group, offsets, clock.milliseconds());
        });
    }

    /**
     * Deletes an EMPTY group with its committed offsets.
     *
     * @throws SluiceException GROUP_NOT_EMPTY if instances are alive; CONSUMER_GROUP_NOT_FOUND if unknown
     */
    public void deleteGroup(String group) {
        withEmptyGroup(group, g -> {
            if (g != null) {
                g.moveTo(GroupState.DEAD);
                registry.remove(g);
            }
            store.deleteGroup(group);
            return null;
        });
    }

    // ---- time ---------------------------------------------------------------------------------------------------

    /** Removes every instance whose lease ran out and completes rebalances whose delay passed; returns how many expired. */
    public int expireLeases() {
        int expired = 0;
        for (ConsumerGroup g : registry.all()) {
            synchronized (g) {
                if (g.state() != GroupState.DEAD) {
                    long now = clock.milliseconds();
                    expired += expireDue(g, now);
                    rebalancer.completeIfDue(g, now);
                }
            }
        }
        return expired;
    }

    /** Checks every group for new partitions or newly matching topics; call when topics change. */
    public void topicsChanged() {
        for (ConsumerGroup g : registry.all()) {
            synchronized (g) {
                if (g.state() != GroupState.DEAD) {
                    rebalancer.checkTopics(g, clock.milliseconds());
                }
            }
        }
    }

    /** The periodic housekeeping: {@link #expireLeases()} then {@link #topicsChanged()}. */
    public int tick() {
        int expired = expireLeases();
        topicsChanged();
        return expired;
    }

    // ---- internals --------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface InstanceCall<T> {
        T apply(ConsumerGroup group, ConsumerInstance instance, long now);
    }

    @FunctionalInterface
    private interface GroupCall<T> {
        T apply(ConsumerGroup group);
    }

    private <T> T withInstance(String groupId, String instanceId, InstanceCall<T> call) {
        ConsumerGroup group = registry.get(groupId).orElseThrow(() -> instanceNotFound(groupId, instanceId, null));
        synchronized (group) {
            long now = clock.milliseconds();
            if (group.state() == GroupState.DEAD) {
                throw instanceNotFound(groupId, instanceId, null);
            }
            expireDue(group, now);
            ConsumerInstance instance =
                    group.instance(instanceId).orElseThrow(() -> instanceNotFound(groupId, instanceId, group));
            instance.renew(now, config.leaseMs());
            rebalancer.completeIfDue(group, now);
            return call.apply(group, instance, now);
        }
    }

    private <T> T withPermit(ReadPermit permit, InstanceCall<T> call) {
        if (permit.released()) {
            throw new IllegalStateException(permit + " was already released");
        }
        return withInstance(permit.group(), permit.instanceId(), (g, i, now) -> {
            if (permit.owner() != i) {
                throw instanceNotFound(permit.group(), permit.instanceId(), g);
            }
            return call.apply(g, i, now);
        });
    }

    private <T> T withEmptyGroup(String groupId, GroupCall<T> call) {
        Optional<ConsumerGroup> live = registry.get(groupId);
        if (live.isPresent()) {
            ConsumerGroup g = live.get();
            synchronized (g) {
                if (g.state() != GroupState.DEAD) {
                    expireDue(g, clock.milliseconds());
                    if (!g.instances().isEmpty()) {
                        throw new SluiceException(
                                ErrorCode.GROUP_NOT_EMPTY,
                                "group " + groupId + " has live instances "
                                        + g.instances().keySet() + "; they must leave or expire first");
                    }
                    return call.apply(g);
                }
            }
        }
        if (store.group(groupId).isEmpty()) {
            throw new SluiceException(ErrorCode.CONSUMER_GROUP_NOT_FOUND, "consumer group " + groupId + " not found");
        }
        return call.apply(null);
    }

    private ConsumerGroup loadGroup(String name) {
        String assignor = store.group(name).map(GroupDefinition::assignor).orElse(Assignors.DEFAULT);
        return new ConsumerGroup(name, assignor);
    }

    private long definitionCreatedAt(ConsumerGroup group, long now) {
        return store.group(group.name()).map(GroupDefinition::createdAt).orElse(now);
    }

    private int expireDue(ConsumerGroup group, long now) {
        List<ConsumerInstance> expired =
                group.instances().values().stream().filter(i -> i.expired(now)).toList();
        for (ConsumerInstance instance : expired) {
            remove(
                    group,
                    instance,
                    "expired at " + instance.leaseExpiresAt() + ": no call within its lease of " + config.leaseMs()
                            + " ms (last seen at " + instance.lastSeen() + ")",
                    now);
        }
        return expired.size();
    }

    private void expireDueLocked(ConsumerGroup group) {
        synchronized (group) {
            if (group.state() != GroupState.DEAD) {
                expireDue(group, clock.milliseconds());
            }
        }
    }

    private void remove(ConsumerGroup group, ConsumerInstance instance, String why, long now) {
        group.instances().remove(instance.id());
        group.departed(instance.id(), why);
        instance.gate().close(instanceNotFound(group.name(), instance.id(), group));
        if (instance.member()) {
            rebalancer.memberRemoved(group, instance, now);
        } else if (group.instances().isEmpty()) {
            rebalancer.membershipChanged(group, now);
        }
    }

    private void autoCommitRevoked(ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> revoked) {
        if (instance.config().autoCommit()) {
            committer.commitPositions(group, instance, revoked, clock.milliseconds());
        }
    }

    private void maybeAutoCommit(ConsumerGroup group, ConsumerInstance instance, long now) {
        if (instance.config().autoCommit() && now - instance.lastAutoCommit() >= config.autoCommitIntervalMs()) {
            committer.commitPositions(group, instance, group.owned(instance), now);
            instance.autoCommitted(now);
        }
    }

    private Assignment assignment(ConsumerGroup group, ConsumerInstance instance, long now) {
        return assignment(group, instance);
    }

    private static Assignment assignment(ConsumerGroup group, ConsumerInstance instance) {
        return new Assignment(group.generation(), group.state(), instance.manual() != null, group.owned(instance));
    }

    private InstanceInfo info(ConsumerGroup group, ConsumerInstance instance) {
        return new InstanceInfo(
                group.name(),
                instance.id(),
                instance.config(),
                config.leaseMs(),
                instance.leaseExpiresAt(),
                instance.lastSeen());
    }

    private static SluiceException instanceNotFound(String group, String instanceId, ConsumerGroup known) {
        String why = known == null ? null : known.departure(instanceId).orElse(null);
        String message = why != null
                ? "consumer instance " + instanceId + " of group " + group + " " + why
                : "consumer instance " + instanceId + " not found in group " + group + " (it may have expired)";
        return new SluiceException(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, message);
    }

    private void requireOwned(ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> partitions) {
        SortedSet<TopicPartition> notOwned = new TreeSet<>(partitions);
        notOwned.removeAll(group.owned(instance));
        if (!notOwned.isEmpty()) {
            throw new SluiceException(
                    ErrorCode.NOT_OWNER,
                    "instance " + instance.id() + " of group " + group.name() + " does not own " + notOwned);
        }
    }

    private Collection<TopicPartition> ownedOrAll(
            ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return group.owned(instance);
        }
        requireOwned(group, instance, partitions);
        return partitions;
    }

    private void requireExists(TopicPartition tp) {
        int count = topics.partitionCount(tp.topic())
                .orElseThrow(
                        () -> new SluiceException(ErrorCode.TOPIC_NOT_FOUND, "topic " + tp.topic() + " not found"));
        if (tp.partition() >= count) {
            throw new SluiceException(ErrorCode.PARTITION_NOT_FOUND, "partition " + tp + " not found");
        }
    }

    private long resetOffset(TopicPartition tp, ResetTarget target) {
        if (target instanceof ResetTarget.ToOffsets o) {
            return o.offsets().get(tp);
        } else if (target instanceof ResetTarget.ToTimestamp t) {
            return positions.offsetForTimestamp(tp, t.timestamp());
        } else if (target instanceof ResetTarget.Latest) {
            return positions.logEnd(tp);
        }
        return positions.logStart(tp);
    }

    private Collection<TopicPartition> resetPartitions(String group, Set<String> resetTopics, ResetTarget target) {
        if (target instanceof ResetTarget.ToOffsets o) {
            o.offsets().keySet().forEach(this::requireExists);
            return o.offsets().keySet();
        }
        if (resetTopics.isEmpty()) {
            return store.committed(group).keySet();
        }
        SortedSet<TopicPartition> result = new TreeSet<>();
        for (String topic : resetTopics) {
            int count = topics.partitionCount(topic)
                    .orElseThrow(() -> new SluiceException(ErrorCode.TOPIC_NOT_FOUND, "topic " + topic + " not found"));
            for (int p = 0; p < count; p++) {
                result.add(new TopicPartition(topic, p));
            }
        }
        return result;
    }
}
