package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Builds the read-only views of groups: the list and the per-group description with lag. Stateless; methods taking a
 * {@link ConsumerGroup} run under its monitor.
 */
final class GroupViews {

    private final GroupCoordinatorConfig config;
    private final PartitionOffsets offsets;
    private final OffsetStore store;

    GroupViews(GroupCoordinatorConfig config, PartitionOffsets offsets, OffsetStore store) {
        this.config = config;
        this.offsets = offsets;
        this.store = store;
    }

    /** One line of the group list; the caller holds the group's monitor. */
    GroupSummary summary(ConsumerGroup g) {
        return new GroupSummary(
                g.name(), g.state(), g.generation(), g.assignor(), g.instances().size());
    }

    /** The view of a live group; the caller holds its monitor. */
    GroupView describe(ConsumerGroup group) {
        List<MemberView> members = new ArrayList<>();
        for (ConsumerInstance i : group.instances().values()) {
            members.add(new MemberView(
                    i.id(),
                    Optional.ofNullable(i.subscription()),
                    i.manual() != null,
                    group.owned(i),
                    i.lastSeen(),
                    i.leaseExpiresAt(),
                    i.config()));
        }
        Map<TopicPartition, CommittedOffset> committed = store.committed(group.name());
        Map<TopicPartition, String> owners = group.owners();
        SortedSet<TopicPartition> partitions = new TreeSet<>(committed.keySet());
        partitions.addAll(owners.keySet());
        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            lag(tp, committed.get(tp), Optional.ofNullable(owners.get(tp))).ifPresent(lags::add);
        }
        return new GroupView(
                group.name(), group.state(), group.generation(), group.assignor(), config.leaseMs(), members, lags);
    }

    /** The view of a group with no live state (e.g. after a restart): EMPTY, offsets only. */
    GroupView describeStored(String group) {
        GroupDefinition definition = store.group(group)
                .orElseThrow(() -> new SluiceException(
                        ErrorCode.CONSUMER_GROUP_NOT_FOUND, "consumer group " + group + " not found"));
        List<PartitionLag> lags = new ArrayList<>();
        store.committed(group).forEach((tp, c) -> lag(tp, c, Optional.empty()).ifPresent(lags::add));
        return new GroupView(group, GroupState.EMPTY, 0, definition.assignor(), config.leaseMs(), List.of(), lags);
    }

    private Optional<PartitionLag> lag(TopicPartition tp, CommittedOffset committed, Optional<String> owner) {
        long start;
        long end;
        try {
            start = offsets.logStartOffset(tp);
            end = offsets.logEndOffset(tp);
        } catch (SluiceException gone) {
            return Optional.empty(); // the topic was deleted; its old offsets are not lag
        }
        long from = committed != null ? committed.offset() : start;
        OptionalLong c = committed != null ? OptionalLong.of(committed.offset()) : OptionalLong.empty();
        return Optional.of(new PartitionLag(tp, c, end, Math.max(0, end - from), owner));
    }
}
