package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The partitions an instance owns right now.
 *
 * @param generation the group generation the assignment belongs to (manual assignments report the group's current
 *     generation too, they do not depend on it)
 * @param state the group's state; while PREPARING_REBALANCE the assignment may shrink or grow soon
 * @param manual true when the partitions were assigned explicitly (Kafka's {@code assign()}), false when the group
 *     assigned them
 * @param partitions the owned partitions, sorted
 */
public record Assignment(int generation, GroupState state, boolean manual, SortedSet<TopicPartition> partitions) {

    public Assignment {
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }
}
