package io.sluice.stream;

import java.util.Map;

/** Where a new stream starts in each partition. A closed set: each variant says how it picks one offset. */
public sealed interface StartSpec {

    /** The first offset still in the log. */
    record Earliest() implements StartSpec {}

    /** The current end: only records appended from now on. */
    record Latest() implements StartSpec {}

    /** The first record with a timestamp at or after {@code timestamp} (epoch millis), else the end. */
    record AtTimestamp(long timestamp) implements StartSpec {}

    /** Explicit next offsets; partitions not listed start at {@code otherwise}. */
    record AtOffsets(Map<Integer, Long> offsets, StartSpec otherwise) implements StartSpec {
        public AtOffsets {
            offsets = Map.copyOf(offsets);
        }
    }

    static StartSpec resume(PositionToken token) {
        return new AtOffsets(token.nextOffsets(), new Earliest());
    }
}
