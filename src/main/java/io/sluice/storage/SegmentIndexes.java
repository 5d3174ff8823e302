package io.sluice.storage;

import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The offset and time index of one segment, and the state deciding when they get an entry: one entry per
 * {@code index.interval.bytes} of log, the time index holding the running maximum timestamp and the batch that
 * reached it. The segment's largest timestamp is known from the last time-index entry plus the batches after the
 * last index point, which are read from the log through a {@link LogTail}.
 *
 * <p>Thread-safety: mutations are serialised by this object's monitor (the writer, or a reader that found the
 * files inconsistent and rebuilds them); lookups are lock-free, as in {@link AbstractIndex}.
 */
final class SegmentIndexes {

    /** Reads batch headers of the segment's log from a position to its current end. */
    interface LogTail {
        BatchScanner from(int position) throws IOException;
    }

    private final long baseOffset;
    private final int indexIntervalBytes;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private int bytesSinceLastIndexEntry;
    private long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private long offsetOfMaxTimestampSoFar;
    private boolean maxTimestampKnown;

    SegmentIndexes(Path dir, long baseOffset, LogConfig config, boolean writable, boolean empty) {
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        int maxSize = config.segmentIndexBytes();
        this.offsetIndex = new OffsetIndex(LogFiles.offsetIndexFile(dir, baseOffset), baseOffset, maxSize, writable);
        this.timeIndex = new TimeIndex(LogFiles.timeIndexFile(dir, baseOffset), baseOffset, maxSize, writable);
        this.maxTimestampKnown = empty;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** Indexes a batch written at this position, if an index interval has passed since the last entry. */
    synchronized void onBatch(RecordBatch header, int position, LogTail log) throws IOException {
        loadMaxTimestamp(log);
        if (header.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = header.maxTimestamp();
            offsetOfMaxTimestampSoFar = header.baseOffset();
        }
        if (bytesSinceLastIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(header.baseOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += header.sizeInBytes();
    }

    private void loadMaxTimestamp(LogTail log) throws IOException {
        if (maxTimestampKnown) {
            return;
        }
        TimestampOffset last = timeIndex.lastEntry();
        maxTimestampSoFar = last.timestamp();
        offsetOfMaxTimestampSoFar = last.offset();
        BatchScanner scanner = log.from(lastIndexedPosition());
        while (scanner.next()) {
            if (scanner.header().maxTimestamp() > maxTimestampSoFar) {
                maxTimestampSoFar = scanner.header().maxTimestamp();
                offsetOfMaxTimestampSoFar = scanner.header().baseOffset();
            }
        }
        maxTimestampKnown = true;
    }

    synchronized long largestTimestamp(LogTail log) throws IOException {
        loadMaxTimestamp(log);
        return maxTimestampSoFar;
    }

    /** File position to start scanning from for offset: the last indexed batch at or before it. */
    int positionAtOrBefore(long offset) {
        return offsetIndex.lookup(offset).position();
    }

    /** Position of the last indexed batch (0 if none). */
    int lastIndexedPosition() {
        return positionAtOrBefore(Long.MAX_VALUE);
    }

    /** An offset at or before the first batch reaching the timestamp: where a time lookup starts scanning. */
    long offsetAtOrBeforeTimestamp(long timestamp) {
        return timeIndex.lookup(timestamp).offset();
    }

    boolean isFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Empties both indexes and lets them grow to the configured maximum, for a rebuild. */
    synchronized void startRebuild() {
        offsetIndex.makeWritable();
        timeIndex.makeWritable();
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        maxTimestampKnown = true;
    }

    /** Drops the entries of the batch at this base offset and later ones. */
    synchronized void truncateTo(long batchBaseOffset) {
        offsetIndex.truncateTo(batchBaseOffset);
        timeIndex.truncateTo(batchBaseOffset);
        maxTimestampKnown = false;
        bytesSinceLastIndexEntry = indexIntervalBytes;
    }

    /** Records the final max timestamp (so the last entry is the segment's largest) and trims both files. */
    synchronized void makeReadOnly(LogTail log) throws IOException {
        loadMaxTimestamp(log);
        if (maxTimestampSoFar != RecordBatch.NO_TIMESTAMP) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        }
        offsetIndex.buffer();
        timeIndex.buffer();
        offsetIndex.makeReadOnly();
        timeIndex.makeReadOnly();
    }

    synchronized void makeWritable() {
        offsetIndex.makeWritable();
        timeIndex.makeWritable();
    }

    /**
     * Entries in order and within the file, and the last offset entry pointing at the start of the batch it
     * names (a cheap spot check; a full check would read a header per entry).
     */
    boolean agreeWith(int logSize, LogTail log) throws IOException {
        if (!offsetIndex.entriesAreConsistent(logSize) || !timeIndex.entriesAreConsistent(logSize)) {
            return false;
        }
        if (offsetIndex.entries() == 0) {
            return true;
        }
        OffsetIndex.OffsetPosition last = offsetIndex.lookup(Long.MAX_VALUE);
        BatchScanner scanner = log.from(last.position());
        return scanner.next() && scanner.header().baseOffset() == last.offset();
    }

    boolean filesExist() {
        return offsetIndex.fileExists() && timeIndex.fileExists();
    }

    boolean isMapped() {
        return offsetIndex.isMapped() || timeIndex.isMapped();
    }

    void flush() {
        offsetIndex.flush();
        timeIndex.flush();
    }

    void close() {
        offsetIndex.close();
        timeIndex.close();
    }

    void deleteFiles() throws IOException {
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
    }
}
