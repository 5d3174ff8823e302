package io.sluice.storage;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment. Entries are 8 bytes: the offset relative to the segment's base offset
 * (int) and the file position of the batch starting at that offset (int). One entry is added per
 * {@code index.interval.bytes} of log written, so a lookup lands at most that many bytes before the batch it
 * looks for; offsets and positions both strictly increase.
 *
 * <p>Thread-safety as {@link AbstractIndex}: one appender, lock-free lookups.
 */
final class OffsetIndex extends AbstractIndex {

    private static final int ENTRY_SIZE = 8;

    /** An index answer: the batch starting at file position {@code position} has base offset {@code offset}. */
    record OffsetPosition(long offset, int position) {}

    OffsetIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) {
        super(file, baseOffset, maxIndexSize, writable);
    }

    @Override
    int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    long keyAt(MappedByteBuffer buf, int slot) {
        return baseOffset + buf.getInt(slot * ENTRY_SIZE);
    }

    private int positionAt(MappedByteBuffer buf, int slot) {
        return buf.getInt(slot * ENTRY_SIZE + 4);
    }

    /**
     * Records that the batch with this base offset starts at this position. An offset not above the last entry
     * is ignored: a rebuild racing with the writer may already have indexed it.
     */
    synchronized void append(long offset, int position) {
        MappedByteBuffer buf = buffer();
        int n = entries();
        if (n > 0 && offset <= keyAt(buf, n - 1)) {
            return;
        }
        if (isFull()) {
            throw new IllegalStateException("offset index is full: " + file());
        }
        buf.putInt(n * ENTRY_SIZE, relativeOffset(offset));
        buf.putInt(n * ENTRY_SIZE + 4, position);
        commitEntry();
    }

    /** The last indexed batch at or before target, or the segment start when none is. */
    OffsetPosition lookup(long target) {
        MappedByteBuffer buf = buffer();
        int slot = largestLowerBoundSlot(target);
        if (slot < 0) {
            return new OffsetPosition(baseOffset, 0);
        }
        return new OffsetPosition(keyAt(buf, slot), positionAt(buf, slot));
    }

    long lastOffset() {
        int n = entries();
        return n == 0 ? baseOffset : keyAt(buffer(), n - 1);
    }

    /** Drops the entries of offsets at or above this one. */
    void truncateTo(long offset) {
        truncateFromKey(offset);
    }

    @Override
    boolean entriesAreConsistent(long logSizeInBytes) {
        MappedByteBuffer buf = buffer();
        int n = entries();
        long previousOffset = baseOffset - 1;
        int previousPosition = -1;
        for (int slot = 0; slot < n; slot++) {
            long offset = keyAt(buf, slot);
            int position = positionAt(buf, slot);
            if (offset <= previousOffset || position <= previousPosition || position >= logSizeInBytes) {
                return false;
            }
            previousOffset = offset;
            previousPosition = position;
        }
        return true;
    }
}
