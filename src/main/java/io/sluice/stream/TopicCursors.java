package io.sluice.stream;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Opens {@link TopicCursor}s after checking the topic and partitions exist. Blocking (start positions may need index lookups). */
public final class TopicCursors {

    /** How a cursor reads: batch limits, idle interval, and the client's credits (null = none). */
    public record Limits(int maxRecords, int maxBytes, long idleMs, Credits credits) {}

    private TopicCursors() {}

    /**
     * @param partitions the partitions to read, or null for all of them
     * @throws SluiceException TOPIC_NOT_FOUND, or PARTITION_NOT_FOUND naming the first missing partition
     */
    public static TopicCursor open(
            LogAccess logs, String topic, List<Integer> partitions, StartSpec start, Limits limits) {
        int count = logs.partitionCount(topic);
        List<Integer> wanted =
                partitions == null ? IntStream.range(0, count).boxed().toList() : partitions;
        for (int partition : wanted) {
            if (partition >= count) {
                throw new SluiceException(
                        ErrorCode.PARTITION_NOT_FOUND, "topic '" + topic + "' has no partition " + partition);
            }
        }
        Map<Integer, Long> positions = StartPositions.resolve(logs, topic, wanted, start);
        return new TopicCursor(
                logs, topic, positions, limits.maxRecords(), limits.maxBytes(), limits.idleMs(), limits.credits());
    }
}
