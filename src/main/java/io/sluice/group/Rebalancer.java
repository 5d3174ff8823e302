package io.sluice.group;

import io.sluice.common.TopicPartition;
import io.sluice.group.assignor.AssignmentInput;
import io.sluice.group.assignor.Assignors;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Moves a group through PREPARING_REBALANCE to a new generation: notices changes (membership, partition counts,
 * topics matching a pattern), waits the rebalance delay, runs the group's assignor, and takes revoked partitions away
 * from their old owners (auto-committing their positions first when the owner has auto-commit on).
 *
 * <p>Stateless apart from its collaborators; the caller holds the group's monitor.
 */
final class Rebalancer {

    /** Called for each instance losing partitions, before its positions of them are dropped. */
    interface RevocationListener {
        void revoking(ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> partitions);
    }

    private final GroupCoordinatorConfig config;
    private final TopicCatalog topics;
    private final RevocationListener revocations;

    Rebalancer(GroupCoordinatorConfig config, TopicCatalog topics, RevocationListener revocations) {
        this.config = config;
        this.topics = topics;
        this.revocations = revocations;
    }

    /** A member joined, left, expired or changed its subscription: start (or keep) a rebalance. */
    void membershipChanged(ConsumerGroup group, long now) {
        if (group.instances().isEmpty()) {
            becomeEmpty(group, group.state() == GroupState.PREPARING_REBALANCE);
            return;
        }
        if (group.state() == GroupState.STABLE) {
            group.moveTo(GroupState.PREPARING_REBALANCE);
            group.rebalanceDeadline(now + config.rebalanceDelayMs());
        }
        completeIfDue(group, now);
    }

    /** A member is gone: its partitions are unowned at once, the others keep theirs until the rebalance ends. */
    void memberRemoved(ConsumerGroup group, ConsumerInstance instance, long now) {
        group.assignment().remove(instance.id());
        if (group.instances().isEmpty()) {
            becomeEmpty(group, true); // the generation the member was part of is over
            return;
        }
        membershipChanged(group, now);
    }

    /** Starts a rebalance if a subscribed topic gained partitions or a topic appeared/disappeared for a member. */
    void checkTopics(ConsumerGroup group, long now) {
        if (group.state() == GroupState.EMPTY
                || group.instances().values().stream().noneMatch(ConsumerInstance::member)) {
            return;
        }
        // Every read plan gets here: resolving the subscriptions against every topic of the broker took 31 % of the
        // server's CPU for a group read with 2,000 topics (BENCHMARKS.md, session 11). A stable group whose
        // assignment matched the topics at this catalog version still matches them: membership changes leave STABLE.
        long version = topics.version();
        if (group.state() == GroupState.STABLE && group.topicsCheckedAt() == version) {
            return;
        }
        if (subscribedTopicSizes(group, topics.topicNames()).equals(group.assignedTopics())) {
            group.topicsCheckedAt(version);
        } else {
            membershipChanged(group, now);
        }
    }

    /** Completes a pending rebalance whose delay has passed; true if a new generation started. */
    boolean completeIfDue(ConsumerGroup group, long now) {
        if (group.state() != GroupState.PREPARING_REBALANCE || now < group.rebalanceDeadline()) {
            return false;
        }
        complete(group);
        return true;
    }

    private void complete(ConsumerGroup group) {
        Set<String> existing = topics.topicNames();
        SortedMap<String, SortedSet<String>> subscriptions = new TreeMap<>();
        group.instances().values().stream()
                .filter(ConsumerInstance::member)
                .forEach(i -> subscriptions.put(i.id(), i.subscription().resolve(existing)));
        SortedMap<String, Integer> sizes = subscribedTopicSizes(group, existing);
        Map<String, SortedSet<TopicPartition>> next = Assignors.byName(group.assignor())
                .assign(new AssignmentInput(subscriptions, sizes, Map.copyOf(group.assignment())));
        for (ConsumerInstance instance : group.instances().values()) {
            if (instance.manual() != null) {
                continue;
            }
            Set<TopicPartition> keeps = next.getOrDefault(instance.id(), new TreeSet<>());
            Set<TopicPartition> revoked = new TreeSet<>(instance.positions().keySet());
            revoked.removeAll(keeps);
            if (!revoked.isEmpty()) {
                revocations.revoking(group, instance, revoked);
            }
            instance.retainPositions(keeps);
        }
        group.assignment(new TreeMap<>(next), sizes);
        group.nextGeneration();
        group.moveTo(GroupState.STABLE);
    }

    private static void becomeEmpty(ConsumerGroup group, boolean endsGeneration) {
        if (group.state() == GroupState.EMPTY) {
            return;
        }
        if (endsGeneration) {
            group.nextGeneration();
        }
        group.assignment(new TreeMap<>(), new TreeMap<>());
        group.moveTo(GroupState.EMPTY);
    }

    private SortedMap<String, Integer> subscribedTopicSizes(ConsumerGroup group, Set<String> existing) {
        SortedMap<String, Integer> sizes = new TreeMap<>();
        for (ConsumerInstance instance : group.instances().values()) {
            if (!instance.member()) {
                continue;
            }
            for (String topic : instance.subscription().resolve(existing)) {
                OptionalInt count = topics.partitionCount(topic);
                count.ifPresent(c -> sizes.put(topic, c));
            }
        }
        return sizes;
    }
}
