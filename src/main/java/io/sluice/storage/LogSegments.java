package io.sluice.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one partition log by base offset. Backed by a concurrent skip list so readers can find the
 * segment holding an offset while the writer rolls, truncates or deletes segments; only the writer mutates it.
 * Invariant (kept by the writer): segments' offset ranges are disjoint and ascending, the last one is active.
 */
final class LogSegments {

    private final ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(long baseOffset) {
        segments.remove(baseOffset);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int count() {
        return segments.size();
    }

    LogSegment active() {
        return segments.lastEntry().getValue();
    }

    LogSegment first() {
        return segments.firstEntry().getValue();
    }

    /** The segment whose range holds offset: the one with the largest base offset at most offset. */
    Optional<LogSegment> floor(long offset) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The segment after the one with this base offset. */
    Optional<LogSegment> higher(long baseOffset) {
        Map.Entry<Long, LogSegment> e = segments.higherEntry(baseOffset);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** Segments in offset order (a snapshot copy). */
    List<LogSegment> all() {
        return new ArrayList<>(segments.values());
    }

    /** Segments with base offsets in [from, to), in order. */
    Collection<LogSegment> range(long from, long to) {
        return segments.subMap(from, to).values();
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }
}
