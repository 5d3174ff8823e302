package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One instance in a {@link GroupView}.
 *
 * @param subscription what it subscribes to, empty if it uses manual assignment or nothing
 * @param manual whether its partitions were assigned explicitly
 * @param assignment the partitions it owns now
 * @param lastSeen wall-clock millis of the last call naming it
 * @param leaseExpiresAt wall-clock millis when it expires unless it calls again
 */
public record MemberView(
        String instanceId,
        Optional<Subscription> subscription,
        boolean manual,
        SortedSet<TopicPartition> assignment,
        long lastSeen,
        long leaseExpiresAt,
        InstanceConfig config) {

    public MemberView {
        assignment = Collections.unmodifiableSortedSet(new TreeSet<>(assignment));
    }
}
