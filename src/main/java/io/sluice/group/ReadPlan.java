package io.sluice.group;

import java.util.List;

/**
 * What one read of an instance should fetch: its owned partitions from their positions. The order is the fetch order
 * and rotates by one partition per read, so a byte limit cannot starve the partitions at the end of the list.
 *
 * @param generation the group generation the plan was made in
 * @param format how the instance wants records rendered
 * @param fetchMinBytes the instance's fetch.min.bytes: a long-poll returns early only once this many bytes exist
 * @param requestTimeoutMs the instance's consumer.request.timeout.ms: the long-poll timeout when the request names none
 * @param reads the partitions to read, in fetch order; empty if the instance owns nothing
 * @param resets positions moved by {@code auto.offset.reset} while making the plan; tell the client
 */
public record ReadPlan(
        String group,
        String instanceId,
        int generation,
        EmbeddedFormat format,
        int fetchMinBytes,
        long requestTimeoutMs,
        List<PartitionRead> reads,
        List<PositionReset> resets) {

    public ReadPlan {
        reads = List.copyOf(reads);
        resets = List.copyOf(resets);
    }

    /** Whether at least one planned partition had records when the plan was made. */
    public boolean hasData() {
        return reads.stream().anyMatch(PartitionRead::hasData);
    }
}
