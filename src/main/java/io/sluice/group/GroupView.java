package io.sluice.group;

import java.util.List;

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
    public long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }
}
