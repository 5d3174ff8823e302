package io.sluice.storage;

/**
 * What readers may see of a partition log: offsets below {@code offset}, which end at file position
 * {@code position} of the segment with base offset {@code segmentBaseOffset}. The writer publishes a new one
 * (through a volatile field) only after the bytes it covers are completely written, so a reader bounded by it
 * never sees a half-written batch. Segments before that one are immutable and read whole; later ones (a roll in
 * progress) are not read at all.
 */
record HighWatermark(long offset, long segmentBaseOffset, int position) {

    /** How far a reader may read in this segment. */
    long maxPosition(LogSegment segment) {
        return segment.baseOffset() == segmentBaseOffset ? position : segment.size();
    }

    boolean covers(LogSegment segment) {
        return segment.baseOffset() <= segmentBaseOffset;
    }
}
