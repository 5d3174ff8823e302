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
 * commits of one group. It also applies the auto-commit policy of instances that asked for it.
 */
final class Committer {

    private static final System.Logger LOG = System.getLogger(Committer.class.getName());

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

    /** The group's committed offsets of the given partitions (all owned if empty); missing ones are left out. */
    SortedMap<TopicPartition, CommittedOffset> committed(
            ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> partitions) {
        Collection<TopicPartition> wanted = partitions.isEmpty() ? group.owned(instance) : partitions;
        SortedMap<TopicPartition, CommittedOffset> result = new TreeMap<>(store.committed(group.name()));
        result.keySet().retainAll(wanted);
        return result;
    }

    /** With auto-commit on, commits the positions of partitions a rebalance takes away; never fails the rebalance. */
    void autoCommitRevoked(
            ConsumerGroup group, ConsumerInstance instance, Collection<TopicPartition> revoked, long now) {
        if (!instance.config().autoCommit()) {
            return;
        }
        try {
            commitPositions(group, instance, revoked, now);
        } catch (SluiceException e) {
            // the rebalance must still complete; the new owner re-reads from the last commit (at least once)
            LOG.log(System.Logger.Level.WARNING, "auto-commit of revoked " + revoked + " failed: " + e.getMessage());
        }
    }

    /** With auto-commit on, commits every owned position if {@code intervalMs} passed since the last auto-commit. */
    void maybeAutoCommit(ConsumerGroup group, ConsumerInstance instance, long now, long intervalMs) {
        if (instance.config().autoCommit() && now - instance.lastAutoCommit() >= intervalMs) {
            commitPositions(group, instance, group.owned(instance), now);
            instance.autoCommitted(now);
        }
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
