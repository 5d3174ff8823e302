package io.sluice.group;

import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A snapshot of one group for {@code GET /consumers/{group}}.
 *
 * @param members live instances, sorted by id
 * @param partitions every partition that is assigned or has a committed offset, sorted
 */
public record GroupView(
        String group,
        GroupState state,
        int generation,
        String assignor,
        long leaseMs,
        List<MemberView> members,
        List<PartitionLag> partitions) {

    public GroupView {
        members = List.copyOf(members);
        partitions = List.copyOf(partitions);
    }

    /** Sum of the lag of every partition. */
    /**
     * This view as seen by someone who may only see the topics {@code visible} accepts: partitions of other topics
     * are left out of every member's assignment and of the lag table (and so of the total lag). Members stay (they
     * are the group's, which the viewer may describe).
     */
    public GroupView restrictedTo(Predicate<String> visible) {
        List<MemberView> shownMembers = members.stream()
                .map(m -> new MemberView(
                        m.instanceId(),
                        m.subscription(),
                        m.manual(),
                        m.assignment().stream()
                                .filter(tp -> visible.test(tp.topic()))
                                .collect(Collectors.toCollection(TreeSet::new)),
                        m.lastSeen(),
                        m.leaseExpiresAt(),
                        m.config()))
                .toList();
        List<PartitionLag> shownPartitions = partitions.stream()
                .filter(lag -> visible.test(lag.partition().topic()))
                .toList();
        return new GroupView(group, state, generation, assignor, leaseMs, shownMembers, shownPartitions);
    }

    public long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }
}
