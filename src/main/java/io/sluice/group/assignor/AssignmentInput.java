package io.sluice.group.assignor;

import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything an assignor may look at.
 *
 * @param subscriptions member id to the topics it subscribes to (already resolved from patterns)
 * @param partitionsPerTopic topic to its partition count; topics missing here do not exist (yet)
 * @param previous member id to what it owned in the previous generation; only stickiness uses it
 */
public record AssignmentInput(
        SortedMap<String, SortedSet<String>> subscriptions,
        SortedMap<String, Integer> partitionsPerTopic,
        Map<String, Set<TopicPartition>> previous) {

    public AssignmentInput {
        SortedMap<String, SortedSet<String>> subs = new TreeMap<>();
        subscriptions.forEach(
                (member, topics) -> subs.put(member, Collections.unmodifiableSortedSet(new TreeSet<>(topics))));
        subscriptions = Collections.unmodifiableSortedMap(subs);
        partitionsPerTopic = Collections.unmodifiableSortedMap(new TreeMap<>(partitionsPerTopic));
        previous = Map.copyOf(previous);
    }

    /** An input without history, for assignors that ignore it and for first generations. */
    public static AssignmentInput of(
            Map<String, ? extends Set<String>> subscriptions, Map<String, Integer> partitionsPerTopic) {
        SortedMap<String, SortedSet<String>> subs = new TreeMap<>();
        subscriptions.forEach((m, t) -> subs.put(m, new TreeSet<>(t)));
        return new AssignmentInput(subs, new TreeMap<>(partitionsPerTopic), Map.of());
    }

    /** The same members and topics with a different history. */
    public AssignmentInput withPrevious(Map<String, ? extends Set<TopicPartition>> previous) {
        Map<String, Set<TopicPartition>> copy = new TreeMap<>();
        previous.forEach((m, p) -> copy.put(m, Set.copyOf(p)));
        return new AssignmentInput(subscriptions, partitionsPerTopic, copy);
    }

    /** Every existing partition of the topics at least one member subscribes to, in sorted order. */
    public List<TopicPartition> subscribedPartitions() {
        SortedSet<String> topics = new TreeSet<>();
        subscriptions.values().forEach(topics::addAll);
        List<TopicPartition> result = new ArrayList<>();
        for (String topic : topics) {
            Integer count = partitionsPerTopic.get(topic);
            for (int p = 0; count != null && p < count; p++) {
                result.add(new TopicPartition(topic, p));
            }
        }
        return result;
    }

    /** Whether {@code member} may own {@code tp}: it subscribes to the partition's topic. */
    public boolean eligible(String member, TopicPartition tp) {
        SortedSet<String> topics = subscriptions.get(member);
        return topics != null && topics.contains(tp.topic());
    }

    /** A result map with an empty, sorted set for every member. */
    SortedMap<String, SortedSet<TopicPartition>> emptyResult() {
        SortedMap<String, SortedSet<TopicPartition>> result = new TreeMap<>();
        subscriptions.keySet().forEach(m -> result.put(m, new TreeSet<>()));
        return result;
    }
}
