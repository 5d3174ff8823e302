package io.sluice.group;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Whole-group operations: listing, describing, resetting the offsets of an empty group and deleting it. A group that
 * is not live (e.g. after a restart) is served from the {@link OffsetStore}. Thread-safe: live groups are touched only
 * inside {@link ConsumerGroup#locked}.
 */
final class GroupAdmin {

    private final Clock clock;
    private final GroupRegistry registry;
    private final OffsetStore store;
    private final TopicCatalog topics;
    private final PositionKeeper positions;
    private final Committer committer;
    private final Membership membership;
    private final GroupViews views;
    private final Function<String, ConsumerGroup> loader;

    GroupAdmin(
            Clock clock,
            GroupRegistry registry,
            OffsetStore store,
            TopicCatalog topics,
            PositionKeeper positions,
            Committer committer,
            Membership membership,
            GroupViews views,
            Function<String, ConsumerGroup> loader) {
        this.clock = clock;
        this.registry = registry;
        this.store = store;
        this.topics = topics;
        this.positions = positions;
        this.committer = committer;
        this.membership = membership;
        this.views = views;
        this.loader = loader;
    }

    List<GroupSummary> list() {
        Map<String, GroupSummary> byName = new TreeMap<>();
        for (GroupDefinition d : store.groups()) {
            byName.put(d.group(), new GroupSummary(d.group(), GroupState.EMPTY, 0, d.assignor(), 0));
        }
        for (ConsumerGroup g : registry.all()) {
            live(g, () -> views.summary(g)).ifPresent(s -> byName.put(s.group(), s));
        }
        return List.copyOf(byName.values());
    }

    GroupView describe(String group) {
        return registry.get(group)
                .flatMap(g -> live(g, () -> views.describe(g)))
                .orElseGet(() -> views.describeStored(group));
    }

    SortedMap<TopicPartition, Long> resetOffsets(String group, Set<String> resetTopics, ResetTarget target) {
        return whenEmpty(group, g -> {
            SortedMap<TopicPartition, Long> offsets = new TreeMap<>();
            for (TopicPartition tp : resetPartitions(group, resetTopics, target)) {
                offsets.put(tp, resetOffset(tp, target));
            }
            return committer.write(group, offsets, clock.milliseconds());
        });
    }

    void delete(String group) {
        whenEmpty(group, g -> {
            // the store first: once the group leaves the registry a new one may be created and saved under the name
            store.deleteGroup(group);
            g.moveTo(GroupState.DEAD);
            registry.remove(g);
            return group;
        });
    }

    /** Runs {@code body} on a live group after expiring its overdue instances; empty if the group died meanwhile. */
    private <T> Optional<T> live(ConsumerGroup g, Supplier<T> body) {
        return g.locked(() -> {
            if (g.state() == GroupState.DEAD) {
                return Optional.empty();
            }
            membership.expireDue(g, clock.milliseconds());
            return Optional.of(body.get());
        });
    }

    /**
     * Runs {@code body} (which must not return null) under the group's monitor if the group exists and has no live
     * instance. A group known only to the store is loaded into the registry first, so the check and the change are
     * serialised with a concurrent {@code createInstance} of the same group.
     */
    private <T> T whenEmpty(String group, Function<ConsumerGroup, T> body) {
        while (true) {
            Optional<ConsumerGroup> existing = registry.get(group);
            if (existing.isEmpty() && store.group(group).isEmpty()) {
                throw groupNotFound(group);
            }
            ConsumerGroup g = existing.orElseGet(() -> registry.getOrCreate(group, loader));
            Optional<T> result = live(g, () -> {
                if (!g.instances().isEmpty()) {
                    throw new SluiceException(
                            ErrorCode.GROUP_NOT_EMPTY,
                            "group " + group + " has live instances "
                                    + g.instances().keySet() + "; they must leave or expire first");
                }
                if (store.group(group).isEmpty()) {
                    g.moveTo(GroupState.DEAD); // deleted meanwhile; drop the object we may have loaded
                    registry.remove(g);
                    throw groupNotFound(group);
                }
                return body.apply(g);
            });
            if (result.isPresent()) {
                return result.get();
            }
            // the group was deleted while we waited for its monitor: look again
        }
    }

    private static SluiceException groupNotFound(String group) {
        return new SluiceException(ErrorCode.CONSUMER_GROUP_NOT_FOUND, "consumer group " + group + " not found");
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
            o.offsets().keySet().forEach(tp -> Partitions.requireExists(topics, tp));
            return o.offsets().keySet();
        }
        if (resetTopics.isEmpty()) {
            return store.committed(group).keySet();
        }
        SortedSet<TopicPartition> result = new TreeSet<>();
        resetTopics.forEach(topic -> result.addAll(Partitions.of(topics, topic)));
        return result;
    }
}
