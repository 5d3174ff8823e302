package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which partitions an instance may act on, and the errors when it names others. The caller holds the group's monitor.
 */
final class Ownership {

    private Ownership() {}

    /** The partitions the instance owns now, with the group's generation and state. */
    static Assignment assignment(ConsumerGroup group, ConsumerInstance instance) {
        return new Assignment(group.generation(), group.state(), instance.manual() != null, group.owned(instance));
    }

    /** CONFLICT: an instance either subscribes (group management) or assigns itself partitions, never both. */
    static SluiceException exclusive() {
        return new SluiceException(
                ErrorCode.CONFLICT, "subscription and manual assignment are mutually exclusive; unsubscribe first");
    }

    /** @throws SluiceException NOT_OWNER naming the partitions of {@code tps} the instance does not own */
    static void requireOwned(ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> tps) {
        SortedSet<TopicPartition> notOwned = new TreeSet<>(tps);
        notOwned.removeAll(group.owned(instance));
        if (!notOwned.isEmpty()) {
            throw new SluiceException(
                    ErrorCode.NOT_OWNER,
                    "instance " + instance.id() + " of group " + group.name() + " does not own " + notOwned);
        }
    }

    /** {@code partitions} if the instance owns them all, every owned partition if empty. */
    static Collection<TopicPartition> ownedOrAll(
            ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return group.owned(instance);
        }
        requireOwned(group, instance, partitions);
        return partitions;
    }
}
