package io.sluice.stream;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link StartSpec} into a next offset per partition. Offsets outside the log are clamped into
 * [log start, high watermark], so a token from before retention resumes at the log start instead of failing and a
 * token from a recreated, shorter topic starts at its end. Blocking for timestamps (index lookups).
 */
public final class StartPositions {

    private StartPositions() {}

    public static Map<Integer, Long> resolve(LogAccess logs, String topic, List<Integer> partitions, StartSpec spec) {
        Map<Integer, Long> positions = new TreeMap<>();
        for (int partition : partitions) {
            TopicPartition tp = new TopicPartition(topic, partition);
            positions.put(partition, clamp(logs, tp, offsetFor(logs, tp, spec)));
        }
        return positions;
    }

    private static long offsetFor(LogAccess logs, TopicPartition tp, StartSpec spec) {
        if (spec instanceof StartSpec.AtOffsets at) {
            Long offset = at.offsets().get(tp.partition());
            return offset != null ? offset : offsetFor(logs, tp, at.otherwise());
        }
        if (spec instanceof StartSpec.AtTimestamp at) {
            return logs.offsetForTimestamp(tp, at.timestamp());
        }
        return spec instanceof StartSpec.Earliest ? logs.logStartOffset(tp) : logs.highWatermark(tp);
    }

    private static long clamp(LogAccess logs, TopicPartition tp, long offset) {
        return Math.max(logs.logStartOffset(tp), Math.min(offset, logs.highWatermark(tp)));
    }
}
