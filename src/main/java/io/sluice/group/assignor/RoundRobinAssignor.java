package io.sluice.group.assignor;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * All subscribed partitions in (topic, partition) order are dealt to the members in member-id order like cards,
 * skipping a member not subscribed to the partition's topic. With identical subscriptions the counts differ by at most
 * one. Stateless and thread-safe.
 */
public final class RoundRobinAssignor implements PartitionAssignor {

    public static final String NAME = "roundrobin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, SortedSet<TopicPartition>> assign(AssignmentInput input) {
        SortedMap<String, SortedSet<TopicPartition>> result = input.emptyResult();
        List<String> members = List.copyOf(result.keySet());
        if (members.isEmpty()) {
            return result;
        }
        int cursor = 0;
        for (TopicPartition tp : input.subscribedPartitions()) {
            // a partition always has at least one eligible member, else it would not be subscribed
            while (!input.eligible(members.get(cursor % members.size()), tp)) {
                cursor++;
            }
            result.get(members.get(cursor % members.size())).add(tp);
            cursor++;
        }
        return result;
    }
}
