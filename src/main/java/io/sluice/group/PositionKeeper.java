package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Keeps instance positions valid: initialises a newly owned partition from the committed offset (else by
 * {@code auto.offset.reset}), moves a position that fell outside {@code [logStart, logEnd]} by the reset policy and
 * reports it as a {@link PositionReset}, and builds rotating {@link ReadPlan}s. With policy {@code none} an invalid
 * position is an {@link ErrorCode#OFFSET_OUT_OF_RANGE} error instead, until the client sets a position itself.
 *
 * <p>Stateless apart from its collaborators; the caller holds the group's monitor.
 */
final class PositionKeeper {

    private final PartitionOffsets offsets;
    private final OffsetStore store;

    PositionKeeper(PartitionOffsets offsets, OffsetStore store) {
        this.offsets = offsets;
        this.store = store;
    }

    /** The plan for one read: every owned partition with a valid position, rotated by one per call. */
    ReadPlan plan(ConsumerGroup group, ConsumerInstance instance) {
        List<TopicPartition> owned = new ArrayList<>(group.owned(instance));
        instance.retainPositions(owned);
        int rotation = instance.nextRotation();
        List<PartitionRead> reads = new ArrayList<>();
        List<PositionReset> resets = new ArrayList<>();
        Supplier<Map<TopicPartition, CommittedOffset>> committed = memo(() -> store.committed(group.name()));
        for (int i = 0; i < owned.size(); i++) {
            TopicPartition tp = owned.get((rotation + i) % owned.size());
            long start;
            long end;
            try {
                start = offsets.logStartOffset(tp);
                end = offsets.logEndOffset(tp);
            } catch (SluiceException gone) {
                continue; // deleted under us; the next metadata check takes it away
            }
            long position = validPosition(instance, tp, start, end, committed, resets);
            reads.add(new PartitionRead(tp, position, end));
        }
        InstanceConfig config = instance.config();
        return new ReadPlan(
                group.name(),
                instance.id(),
                group.generation(),
                config.format(),
                config.fetchMinBytes(),
                config.requestTimeoutMs(),
                reads,
                resets);
    }

    /** Sets explicit positions (the caller checked ownership); an out-of-range one is reset at the next read. */
    SortedMap<TopicPartition, Long> seek(ConsumerInstance instance, Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, offset) -> {
            if (offset < 0) {
                throw new SluiceException(ErrorCode.INVALID_VALUE, "offset for " + tp + " must be >= 0");
            }
        });
        instance.positions().putAll(offsets);
        return new TreeMap<>(offsets);
    }

    /**
     * Moves positions past the records returned, per partition only if the instance still owns it and the position
     * is still where {@code plan} read from (a concurrent seek or rebalance wins); returns the positions moved.
     */
    SortedMap<TopicPartition, Long> advance(
            ConsumerGroup group, ConsumerInstance instance, ReadPlan plan, Map<TopicPartition, Long> nextOffsets) {
        SortedMap<TopicPartition, Long> moved = new TreeMap<>();
        Set<TopicPartition> owned = group.owned(instance);
        for (PartitionRead read : plan.reads()) {
            TopicPartition tp = read.partition();
            Long next = nextOffsets.get(tp);
            Long current = instance.positions().get(tp);
            if (next != null && owned.contains(tp) && current != null && current == read.offset() && next >= current) {
                instance.positions().put(tp, next);
                moved.put(tp, next);
            }
        }
        return moved;
    }

    /** The fetch found {@code tp} out of range after the plan was made (retention ran in between). */
    PositionReset outOfRange(ConsumerInstance instance, TopicPartition tp, long logStart, long logEnd) {
        long position = instance.positions().getOrDefault(tp, logStart);
        PositionReset reset = reset(instance, tp, position, logStart, logEnd);
        instance.positions().put(tp, reset.to());
        return reset;
    }

    /** Sets positions to the log start or end of the given owned partitions. */
    SortedMap<TopicPartition, Long> seekToEdge(
            ConsumerInstance instance, Collection<TopicPartition> partitions, boolean beginning) {
        SortedMap<TopicPartition, Long> result = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            long offset = beginning ? offsets.logStartOffset(tp) : offsets.logEndOffset(tp);
            instance.positions().put(tp, offset);
            result.put(tp, offset);
        }
        return result;
    }

    /** Sets positions to the first offset at or after each timestamp, or the log end if there is none. */
    SortedMap<TopicPartition, Long> seekToTimestamps(ConsumerInstance instance, Map<TopicPartition, Long> timestamps) {
        SortedMap<TopicPartition, Long> result = new TreeMap<>();
        timestamps.forEach((tp, ts) -> {
            long offset = offsetForTimestamp(tp, ts);
            instance.positions().put(tp, offset);
            result.put(tp, offset);
        });
        return result;
    }

    long offsetForTimestamp(TopicPartition tp, long timestamp) {
        return offsets.offsetForTimestamp(tp, timestamp).orElseGet(() -> offsets.logEndOffset(tp));
    }

    long logStart(TopicPartition tp) {
        return offsets.logStartOffset(tp);
    }

    long logEnd(TopicPartition tp) {
        return offsets.logEndOffset(tp);
    }

    private long validPosition(
            ConsumerInstance instance,
            TopicPartition tp,
            long start,
            long end,
            Supplier<Map<TopicPartition, CommittedOffset>> committed,
            List<PositionReset> resets) {
        Long position = instance.positions().get(tp);
        if (position == null) {
            CommittedOffset c = committed.get().get(tp);
            position = c != null ? c.offset() : initialWithoutCommit(instance, tp, start, end);
        }
        if (position < start || position > end) {
            PositionReset reset = reset(instance, tp, position, start, end);
            resets.add(reset);
            position = reset.to();
        }
        instance.positions().put(tp, position);
        return position;
    }

    private static long initialWithoutCommit(ConsumerInstance instance, TopicPartition tp, long start, long end) {
        return switch (instance.config().autoOffsetReset()) {
            case EARLIEST -> start;
            case LATEST -> end;
            case NONE ->
                throw new SluiceException(
                        ErrorCode.OFFSET_OUT_OF_RANGE,
                        "no committed offset for " + tp + " and auto.offset.reset is none; set a position first");
        };
    }

    private static PositionReset reset(ConsumerInstance instance, TopicPartition tp, long from, long start, long end) {
        PositionReset.Reason reason =
                from < start ? PositionReset.Reason.BEFORE_LOG_START : PositionReset.Reason.AFTER_LOG_END;
        AutoOffsetReset policy = instance.config().autoOffsetReset();
        long to = switch (policy) {
            case EARLIEST -> start;
            case LATEST -> end;
            case NONE ->
                throw new SluiceException(
                        ErrorCode.OFFSET_OUT_OF_RANGE,
                        "position " + from + " of " + tp + " is outside [" + start + ", " + end
                                + "] and auto.offset.reset is none; set a position first");
        };
        return new PositionReset(tp, from, to, policy, reason, start, end);
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        Object[] cell = new Object[1];
        return () -> {
            if (cell[0] == null) {
                cell[0] = supplier.get();
            }
            @SuppressWarnings("unchecked")
            T value = (T) cell[0];
            return value;
        };
    }
}
