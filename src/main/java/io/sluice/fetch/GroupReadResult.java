package io.sluice.fetch;

import io.sluice.group.PositionReset;
import java.util.List;

/**
 * The answer to a {@link GroupReadRequest}.
 *
 * @param generation the group generation the records were planned in
 * @param partitions per partition with records, the records returned (in the plan's rotating order); empty if none
 * @param resets positions the instance's {@code auto.offset.reset} moved during this read (retention removed the
 *     records at the position, or the position was past the log end); the client should be told
 */
public record GroupReadResult(int generation, List<FetchResult> partitions, List<PositionReset> resets) {

    public GroupReadResult {
        partitions = List.copyOf(partitions);
        resets = List.copyOf(resets);
    }

    public int recordCount() {
        return partitions.stream().mapToInt(p -> p.records().count()).sum();
    }
}
