package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes committed offsets for instances, enforcing ownership: an instance may only commit partitions it owns right
 * now, so a member that lost a partition (rebalance, expiry of its lease) can never move the new owner's committed
 * offset backwards. A refused commit writes nothing. The caller holds the group's monitor, which also orders the
 * commits of one group.
 */
final class Committer {

    private final OffsetStore store;

    Committer(OffsetStore store) {
        this.store = store;
    }

    /** Commits explicit offsets; every partition must be owned by {@code instance}, else nothing is written. */
    SortedMap<TopicPartition, Long> commit(
            ConsumerGroup group, ConsumerInstance instance, Map<TopicPartition, Long> offsets, long now) {
        Set<TopicPartition> owned = group.owned(instance);
        Set<TopicPartition> notOwned = new TreeSet<>(offsets.keySet());
        notOwned.removeAll(owned);
        if (!notOwned.isEmpty()) {
            throw new SluiceException(
                    ErrorCode.NOT_OWNER,
                    "instance " + instance.id() + " of group " + group.name() + " does not own " + notOwned
                            + " in generation " + group.generation() + "; it owns " + owned);
        }
        offsets.forEach((tp, offset) -> {
            if (offset < 0) {
                throw new SluiceException(ErrorCode.INVALID_VALUE, "offset for " + tp + " must be >= 0: " + offset);
            }
        });
        return write(group, offsets, now);
    }

    /** Commits the positions ("everything returned so far") of the given partitions that have one. */
    SortedMap<TopicPartition, Long> commitPositions(
            ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> partitions, long now) {
        SortedMap<TopicPartition, Long> offsets = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            Long position = instance.positions().get(tp);
            if (position != null) {
                offsets.put(tp, position);
            }
        }
        return write(group, offsets, now);
    }

    /** Writes offsets without an ownership check (admin resets of an empty group). */
    SortedMap<TopicPartition, Long> write(ConsumerGroup group, Map<TopicPartition, Long> offsets, long now) {
        return write(group.name(), offsets, now);
    }

    SortedMap<TopicPartition, Long> write(String group, Map<TopicPartition, Long> offsets, long now) {
        SortedMap<TopicPartition, Long> sorted = new TreeMap<>(offsets);
        if (!sorted.isEmpty()) {
            Map<TopicPartition, CommittedOffset> records = new TreeMap<>();
            sorted.forEach((tp, offset) -> records.put(tp, new CommittedOffset(offset, "", now)));
            store.commit(group, records);
        }
        return sorted;
    }
}
