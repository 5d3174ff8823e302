package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.Map;
import java.util.TreeMap;

/** Where {@link GroupCoordinator#resetOffsets} moves the committed offsets of an empty group. */
public sealed interface ResetTarget {

    /** Each partition's log start offset. */
    record Earliest() implements ResetTarget {}

    /** Each partition's log end offset. */
    record Latest() implements ResetTarget {}

    /** The first offset with a timestamp at least {@code timestamp}, else the log end offset. */
    record ToTimestamp(long timestamp) implements ResetTarget {}

    /** Exactly these offsets (the topics argument of the reset is ignored). */
    record ToOffsets(Map<TopicPartition, Long> offsets) implements ResetTarget {
        public ToOffsets {
            offsets = new TreeMap<>(offsets);
        }
    }
}
