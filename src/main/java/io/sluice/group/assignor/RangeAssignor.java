package io.sluice.group.assignor;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Per topic, the partitions are split into contiguous ranges over the members subscribed to that topic, in member-id
 * order; the first {@code partitions % members} members get one extra. Balanced per topic, but with many topics the
 * first members collect the extras of every topic. Stateless and thread-safe.
 */
public final class RangeAssignor implements PartitionAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, SortedSet<TopicPartition>> assign(AssignmentInput input) {
        SortedMap<String, SortedSet<TopicPartition>> result = input.emptyResult();
        input.partitionsPerTopic().forEach((topic, count) -> {
            List<String> members = result.keySet().stream()
                    .filter(m -> input.subscriptions().get(m).contains(topic))
                    .toList();
            if (members.isEmpty()) {
                return;
            }
            int base = count / members.size();
            int extra = count % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int size = base + (i < extra ? 1 : 0);
                for (int j = 0; j < size; j++) {
                    result.get(members.get(i)).add(new TopicPartition(topic, next++));
                }
            }
        });
        return result;
    }
}
