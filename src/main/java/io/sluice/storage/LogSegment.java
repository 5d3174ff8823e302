package io.sluice.storage;

import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * One segment of a partition log: a {@code .log} file of record batches plus its {@link SegmentIndexes} (offset
 * and time index). Invariant: the base offset is at most every offset in the segment, every batch in the file
 * is whole and offsets are dense from the base offset. The file descriptor and the index mappings are opened
 * on first use, so an idle segment costs no file handle. {@link SegmentRecovery} walks the file to decide how
 * much of it is sound (at recovery, on an index rebuild) and cuts a failed append off.
 *
 * <p>Thread-safety: one writer (the partition's, holding its lock) appends, truncates and recovers. Readers may
 * call {@link #read}, {@link #translateOffset} and {@link #findOffsetByTimestamp} concurrently; they must pass the
 * bound up to which bytes are published ({@code maxPosition}) and never look beyond it. {@link #size()} is
 * volatile and only ever covers whole batches.
 */
final class LogSegment {

    private final StorageFiles files;
    private final Path logFile;
    private final long baseOffset;
    private final SegmentIndexes indexes;
    private final SegmentIndexes.LogTail tail = position -> new BatchScanner(channel(), position, this.size);
    private final Object openLock = new Object();
    private volatile FileChannel channel;
    private volatile int size;
    private volatile boolean indexesChecked;
    private long rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
    private volatile boolean active;

    private LogSegment(StorageFiles files, Path dir, long baseOffset, LogConfig config, boolean active, int size) {
        this.files = files;
        this.logFile = LogFiles.logFile(dir, baseOffset);
        this.baseOffset = baseOffset;
        this.indexes = new SegmentIndexes(files, dir, baseOffset, config, active, size == 0);
        this.size = size;
        this.active = active;
    }

    static LogSegment create(Path dir, long baseOffset, LogConfig config) throws IOException {
        return create(StorageFiles.real(), dir, baseOffset, config);
    }

    /**
     * A new empty segment; creates the log file and fsyncs the directory, so that the fsync of data later
     * appended to it is not undone by a power cut losing the file's name.
     */
    static LogSegment create(StorageFiles files, Path dir, long baseOffset, LogConfig config) throws IOException {
        Path file = LogFiles.logFile(dir, baseOffset);
        files.deleteIfExists(LogFiles.offsetIndexFile(dir, baseOffset));
        files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));
        files.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                .close();
        files.fsyncDirectory(dir);
        LogSegment segment = new LogSegment(files, dir, baseOffset, config, true, 0);
        segment.indexesChecked = true;
        return segment;
    }

    /** An existing segment; nothing is opened or mapped yet. */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, boolean active) throws IOException {
        return open(StorageFiles.real(), dir, baseOffset, config, active);
    }

    static LogSegment open(StorageFiles files, Path dir, long baseOffset, LogConfig config, boolean active)
            throws IOException {
        long length = Files.size(LogFiles.logFile(dir, baseOffset));
        if (length > Integer.MAX_VALUE) {
            throw new CorruptLogException("segment " + LogFiles.logFile(dir, baseOffset) + " exceeds 2 GiB");
        }
        return new LogSegment(files, dir, baseOffset, config, active, (int) length);
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole batches in the file. */
    int size() {
        return size;
    }

    Path logFile() {
        return logFile;
    }

    /** Index files are created lazily; an empty segment needs none, a closed or rolled one always has them. */
    boolean indexFilesExist() {
        return size == 0 || indexes.filesExist();
    }

    FileChannel channel() throws IOException {
        FileChannel c = channel;
        if (c == null) {
            synchronized (openLock) {
                c = channel;
                if (c == null) {
                    c = files.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    channel = c;
                }
            }
        }
        return c;
    }

    /**
     * Writes batches whose offsets are already assigned at the end of the file and indexes them. The bytes are
     * handed to the OS (not fsync'ed); {@link #size()} grows only after they are all written.
     */
    void append(ByteBuffer records, List<RecordBatch> batches, long nowMs) throws IOException {
        ensureIndexesChecked();
        if (size == 0) {
            rollingBasedTimestamp = nowMs;
        }
        int start = size;
        FileChannel ch = channel();
        ByteBuffer src = records.duplicate();
        long written = 0;
        try {
            while (src.hasRemaining()) {
                written += ch.write(src, start + written);
            }
        } catch (IOException e) {
            throw SegmentRecovery.undoPartialWrite(ch, logFile, start, e);
        }
        int position = start;
        for (RecordBatch batch : batches) {
            indexes.onBatch(batch, position, tail);
            position += batch.sizeInBytes();
        }
        size = start + (int) written;
    }

    /** Takes appends again after a truncation removed the segments after it. */
    synchronized void makeActive() {
        active = true;
        indexes.makeWritable();
    }

    /** Whether an append of this many bytes must go to a new segment first. */
    boolean shouldRoll(int appendBytes, long lastOffset, LogConfig config, long nowMs) throws IOException {
        if (size == 0) {
            return false;
        }
        ensureIndexesChecked();
        return (long) size + appendBytes > config.segmentBytes()
                || nowMs - rollingBasedTimestamp(nowMs) > config.segmentMs()
                || indexes.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    private long rollingBasedTimestamp(long nowMs) throws IOException {
        if (rollingBasedTimestamp == RecordBatch.NO_TIMESTAMP) {
            // A segment loaded from disk: age it from its first batch, as the time it was written is not kept.
            BatchScanner scanner = new BatchScanner(channel(), 0, size);
            rollingBasedTimestamp = scanner.next() ? scanner.header().maxTimestamp() : nowMs;
        }
        return rollingBasedTimestamp;
    }

    /** Position and size of the first batch holding an offset at least {@code offset}, below maxPosition. */
    Optional<BatchPosition> translateOffset(long offset, long maxPosition) throws IOException {
        ensureIndexesChecked();
        BatchScanner scanner = new BatchScanner(channel(), indexes.positionAtOrBefore(offset), maxPosition);
        while (scanner.next()) {
            if (scanner.header().lastOffset() >= offset) {
                return Optional.of(new BatchPosition(
                        scanner.header().baseOffset(), (int) scanner.position(), scanner.sizeInBytes()));
            }
        }
        return Optional.empty();
    }

    /** Where a batch lies in the file. */
    record BatchPosition(long baseOffset, int position, int sizeInBytes) {}

    /**
     * Whole batches from the one holding {@code offset}, at most maxBytes unless the first batch alone is larger,
     * never past maxPosition. Empty when the segment has no such batch below maxPosition.
     */
    Optional<FileSlice> read(long offset, int maxBytes, long maxPosition) throws IOException {
        Optional<BatchPosition> first = translateOffset(offset, maxPosition);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        int start = first.get().position();
        long end = start + first.get().sizeInBytes();
        BatchScanner scanner = new BatchScanner(channel(), end, maxPosition);
        while (scanner.next() && scanner.nextPosition() - start <= maxBytes) {
            end = scanner.nextPosition();
        }
        return Optional.of(new FileSlice(channel(), start, (int) (end - start)));
    }

    /** The first batch whose max timestamp is at least target: its base offset and max timestamp. */
    Optional<TimestampOffset> findOffsetByTimestamp(long target, long maxPosition) throws IOException {
        ensureIndexesChecked();
        int start = indexes.positionAtOrBefore(indexes.offsetAtOrBeforeTimestamp(target));
        BatchScanner scanner = new BatchScanner(channel(), start, maxPosition);
        while (scanner.next()) {
            RecordBatch header = scanner.header();
            if (header.maxTimestamp() >= target) {
                return Optional.of(new TimestampOffset(header.maxTimestamp(), header.baseOffset()));
            }
        }
        return Optional.empty();
    }

    /** The whole batch at this position, read from the file into a new buffer. */
    RecordBatch readBatch(BatchPosition where) throws IOException {
        return SegmentRecovery.readBatch(channel(), where.position(), where.sizeInBytes());
    }

    /** The largest timestamp of any batch in the segment, -1 if none. */
    long largestTimestamp() {
        ensureIndexesChecked();
        try {
            return indexes.largestTimestamp(tail);
        } catch (IOException e) {
            throw new StorageException("cannot read " + logFile, e);
        }
    }

    /** The offset after the last batch (the base offset if empty), found from the last index entry onwards. */
    long readNextOffset() throws IOException {
        ensureIndexesChecked();
        BatchScanner scanner = tail.from(indexes.lastIndexedPosition());
        long next = baseOffset;
        while (scanner.next()) {
            next = scanner.header().lastOffset() + 1;
        }
        return next;
    }

    /**
     * Checks every batch (size, magic, CRC, dense offsets), rebuilds both indexes, and cuts the file at the first
     * broken batch. A broken batch whose offset is below {@code recoveryPoint} was fsync'ed earlier, so it is not
     * torn but corrupt: that throws {@link CorruptLogException} instead of cutting flushed data away.
     *
     * @return the number of bytes cut
     */
    synchronized int recover(long recoveryPoint, int maxBatchBytes) throws IOException {
        indexes.startRebuild();
        FileChannel ch = channel();
        int position = SegmentRecovery.validBytes(
                ch, logFile, baseOffset, size, recoveryPoint, maxBatchBytes, this::indexBatch);
        int cut = size - position;
        if (cut > 0) {
            ch.truncate(position);
            size = position;
        }
        finishIndexRebuild();
        return cut;
    }

    private void indexBatch(RecordBatch batch, int position) throws IOException {
        indexes.onBatch(batch, position, tail);
    }

    /** Rebuilds both indexes from the batch headers (no CRC check); used when an index file is inconsistent. */
    private synchronized void rebuildIndexes() throws IOException {
        indexes.startRebuild();
        SegmentRecovery.reindex(channel(), logFile, size, this::indexBatch);
        finishIndexRebuild();
    }

    /**
     * Index files that should exist are gone (removed under the running segment). The active segment creates its
     * index files lazily, on the first mapping, so missing files count only once they were mapped or rolled.
     */
    boolean indexFilesRemoved() {
        return size > 0 && !indexes.filesExist() && (!active || indexes.isMapped());
    }

    /** Index files were removed under the running segment: forgets their mappings and builds them again. */
    synchronized void rebuildMissingIndexes() throws IOException {
        indexes.deleteFiles();
        rebuildIndexes();
    }

    private void finishIndexRebuild() {
        indexesChecked = true;
        if (!active) {
            onBecomeInactive();
        }
    }

    /** On first use, makes sure the index files agree with the log, rebuilding them if not. */
    void ensureIndexesChecked() {
        if (indexesChecked) {
            return;
        }
        synchronized (this) {
            if (indexesChecked) {
                return;
            }
            try {
                if (!indexes.agreeWith(size, tail)) {
                    System.getLogger(LogSegment.class.getName())
                            .log(System.Logger.Level.WARNING, "rebuilding inconsistent indexes of " + logFile);
                    rebuildIndexes();
                }
            } catch (IOException e) {
                throw new StorageException("cannot rebuild indexes of " + logFile, e);
            }
            indexesChecked = true;
        }
    }

    /**
     * Removes every batch with an offset at least {@code offset}. The offset must be a batch boundary or beyond
     * the end. Returns the bytes removed.
     */
    synchronized int truncateTo(long offset) throws IOException {
        Optional<BatchPosition> from = translateOffset(offset, size);
        if (from.isEmpty()) {
            return 0;
        }
        int position = from.get().position();
        // cut the indexes at the removed batch's base offset: an entry for it would point at the new end
        indexes.truncateTo(from.get().baseOffset());
        int removed = size - position;
        channel().truncate(position);
        size = position;
        if (size == 0) {
            rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        }
        return removed;
    }

    /** Forces the log file and indexes to the device. */
    void flush() throws IOException {
        FileChannel c = channel;
        if (c != null) {
            c.force(false);
        }
        indexes.flush();
    }

    /** The segment stops taking appends: records its final max timestamp and trims the index files. */
    synchronized void onBecomeInactive() {
        ensureIndexesChecked();
        active = false;
        try {
            indexes.makeReadOnly(tail);
        } catch (IOException e) {
            throw new StorageException("cannot finish the indexes of " + logFile, e);
        }
    }

    /** Closes the file and releases the indexes, trimming them if this is the active segment. */
    synchronized void close() throws IOException {
        if (indexes.isMapped() || !indexFilesExist()) {
            onBecomeInactive();
        }
        indexes.close();
        closeChannel();
    }

    /** Releases the file handle only (for a log taken offline, whose files may be gone). */
    void closeHandles() throws IOException {
        closeChannel();
    }

    private void closeChannel() throws IOException {
        synchronized (openLock) {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }

    /** Closes and removes the segment's files. */
    synchronized void deleteFiles() throws IOException {
        closeChannel();
        indexes.deleteFiles();
        files.deleteIfExists(logFile);
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ")";
    }
}
