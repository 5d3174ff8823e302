package io.sluice.storage;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The time index of one segment. Entries are 12 bytes: a timestamp (long) and the offset, relative to the
 * segment's base offset (int), of the batch that first reached it. Timestamps strictly increase: an entry is the
 * running maximum timestamp of the segment, added once per {@code index.interval.bytes}, so "the first batch
 * whose max timestamp is at least T" is at or after the last entry below T.
 *
 * <p>One slot is kept free so the segment's final maximum can always be recorded when it stops being active,
 * which makes the last entry the segment's largest timestamp (used by time-based retention).
 *
 * <p>Thread-safety as {@link AbstractIndex}: one appender, lock-free lookups.
 */
final class TimeIndex extends AbstractIndex {

    private static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) {
        super(file, baseOffset, maxIndexSize, writable);
    }

    @Override
    int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    long keyAt(MappedByteBuffer buf, int slot) {
        return buf.getLong(slot * ENTRY_SIZE);
    }

    private long offsetAt(MappedByteBuffer buf, int slot) {
        return baseOffset + buf.getInt(slot * ENTRY_SIZE + 8);
    }

    @Override
    boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Appends (timestamp, offset) if the timestamp is above the last entry's. {@code final} entries may use the
     * reserved last slot.
     */
    synchronized void maybeAppend(long timestamp, long offset, boolean isFinal) {
        MappedByteBuffer buf = buffer();
        int n = entries();
        if (n > 0 && (timestamp <= keyAt(buf, n - 1) || offset < offsetAt(buf, n - 1))) {
            return;
        }
        if (isFinal ? n >= maxEntries() : isFull()) {
            if (isFinal) {
                return;
            }
            throw new IllegalStateException("time index is full: " + file());
        }
        buf.putLong(n * ENTRY_SIZE, timestamp);
        buf.putInt(n * ENTRY_SIZE + 8, relativeOffset(offset));
        commitEntry();
    }

    /** The last entry with a timestamp at most target, or (-1, base offset) when none. */
    TimestampOffset lookup(long target) {
        MappedByteBuffer buf = buffer();
        int slot = largestLowerBoundSlot(target);
        return slot < 0
                ? new TimestampOffset(-1L, baseOffset)
                : new TimestampOffset(keyAt(buf, slot), offsetAt(buf, slot));
    }

    /** The largest timestamp indexed, or (-1, base offset) when empty. */
    TimestampOffset lastEntry() {
        MappedByteBuffer buf = buffer();
        int n = entries();
        return n == 0
                ? new TimestampOffset(-1L, baseOffset)
                : new TimestampOffset(keyAt(buf, n - 1), offsetAt(buf, n - 1));
    }

    /** Drops the entries of offsets at or above this one. */
    synchronized void truncateTo(long offset) {
        MappedByteBuffer buf = buffer();
        int n = entries();
        while (n > 0 && offsetAt(buf, n - 1) >= offset) {
            n--;
        }
        truncateToEntries(n);
    }

    @Override
    boolean entriesAreConsistent(long logSizeInBytes) {
        MappedByteBuffer buf = buffer();
        int n = entries();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = baseOffset;
        for (int slot = 0; slot < n; slot++) {
            long ts = keyAt(buf, slot);
            long offset = offsetAt(buf, slot);
            if (ts <= previousTimestamp || offset < previousOffset) {
                return false;
            }
            previousTimestamp = ts;
            previousOffset = offset;
        }
        return true;
    }
}
