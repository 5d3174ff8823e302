package io.sluice.storage;

import io.sluice.common.Clock;
import io.sluice.common.TopicPartition;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import io.sluice.storage.ProducerStateEntry.BatchMetadata;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only log of one partition: a sequence of {@link LogSegment}s in one directory, with dense offsets
 * from the log start offset to the log end offset.
 *
 * <p>Concurrency: one writer at a time (appends, roll, truncation, retention take {@code lock}). Readers take no
 * lock: they read the volatile {@link #highWatermark} mark, which the writer publishes only after a batch is
 * completely written, and never look past its file position, so they never see a half-written batch and never
 * block the writer. On one node the high watermark equals the log end offset.
 *
 * <p>Durability: an append returns once its bytes are handed to the OS (a killed process loses nothing). When
 * {@code flush.messages} or {@code flush.ms} make a flush due, the append waits for an fsync, shared with the
 * appends running at the same time ({@link Flusher}); {@link FlushPolicy} owns that policy and the recovery point.
 * An I/O error while writing takes the partition offline ({@link LogHealth}).
 */
public final class PartitionLog {

    private static final System.Logger LOG = System.getLogger(PartitionLog.class.getName());

    private final TopicPartition topicPartition;
    private final StorageFiles files;
    private final Path dir;
    private final Clock clock;
    private final LogSegments segments;
    private final ProducerStateManager producerState;
    private final ReentrantLock lock = new ReentrantLock();
    private final FlushPolicy flushPolicy;
    private final LogEvents events;
    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile HighWatermark highWatermark;
    private final LogHealth health;

    private PartitionLog(
            TopicPartition tp,
            Path dir,
            LogConfig config,
            Clock clock,
            LogLoader.LoadedLog loaded,
            LogEvents events,
            StorageFiles files) {
        this.files = files;
        this.topicPartition = tp;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.segments = loaded.segments();
        this.producerState = loaded.producerState();
        this.logStartOffset = loaded.logStartOffset();
        this.events = events;
        this.health = new LogHealth(tp, new DirectoryChanges(dir, clock));
        publish(loaded.logEndOffset());
        this.flushPolicy = new FlushPolicy(
                tp,
                files,
                dir,
                clock,
                segments,
                lock,
                this::logEndOffset,
                health,
                loaded.recoveryPoint(),
                loaded.checkpointedRecoveryPoint(),
                () -> events.flushCheckWanted(this));
    }

    /**
     * Opens (creating if needed) the log in dir, recovering it when the last stop was not clean, telling events what
     * happens to it.
     */
    static PartitionLog open(
            TopicPartition tp,
            Path dir,
            LogConfig config,
            Clock clock,
            boolean cleanShutdown,
            LogEvents events,
            StorageFiles files)
            throws IOException {
        LogLoader.LoadedLog loaded = LogLoader.load(files, dir, config, clock, cleanShutdown);
        return new PartitionLog(tp, dir, config, clock, loaded, events, files);
    }

    /** Opens a standalone log (no manager, no listener). */
    public static PartitionLog open(TopicPartition tp, Path dir, LogConfig config, Clock clock, boolean cleanShutdown)
            throws IOException {
        return open(tp, dir, config, clock, cleanShutdown, StorageFiles.real());
    }

    /** Opens a standalone log whose files go through the given door. */
    public static PartitionLog open(
            TopicPartition tp, Path dir, LogConfig config, Clock clock, boolean cleanShutdown, StorageFiles files)
            throws IOException {
        return open(tp, dir, config, clock, cleanShutdown, LogEvents.NONE, files);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public LogConfig config() {
        return config;
    }

    Path dir() {
        return dir;
    }

    public void updateConfig(LogConfig newConfig) {
        lock.lock();
        try {
            this.config = newConfig;
            producerState.setExpirationMs(newConfig.producerIdExpirationMs());
        } finally {
            lock.unlock();
        }
        events.flushCheckWanted(this); // flush.ms may have become finite
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return highWatermark.offset();
    }

    public long highWatermark() {
        return highWatermark.offset();
    }

    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    public int segmentCount() {
        return segments.count();
    }

    long recoveryPoint() {
        return flushPolicy.recoveryPoint();
    }

    boolean isOffline() {
        return health.isOffline();
    }

    /** Why the log went offline while running (an I/O error, a file removed under it), if it did. */
    public Optional<StorageException> offlineCause() {
        return health.cause();
    }

    private void publish(long endOffset) {
        LogSegment active = segments.active();
        highWatermark = new HighWatermark(endOffset, active.baseOffset(), active.size());
    }

    /**
     * Validates and appends the batches in {@code records} (their base offsets and leader epochs are rewritten in
     * place). A retry of a recent idempotent batch is answered with its original offsets and not written.
     */
    public AppendResult appendAsLeader(ByteBuffer records, int leaderEpoch) {
        checkOnline();
        List<RecordBatch> batches = AppendValidator.validate(records, config);
        AppendResult result;
        boolean flushDue;
        lock.lock();
        try {
            checkOnline();
            long now = clock.milliseconds();
            Optional<AppendResult> duplicate = findDuplicate(batches, now);
            if (duplicate.isPresent()) {
                return duplicate.get();
            }
            result = appendLocked(records, batches, leaderEpoch, now);
            flushDue = flushPolicy.onAppend(result.recordCount(), now, config);
        } finally {
            lock.unlock();
        }
        events.highWatermarkMoved(this);
        if (flushDue) {
            flushPolicy.flushUpTo(result.lastOffset() + 1);
        }
        return result;
    }

    private Optional<AppendResult> findDuplicate(List<RecordBatch> batches, long now) {
        for (RecordBatch batch : batches) {
            if (batch.hasProducerId()) {
                Optional<BatchMetadata> original = producerState.findDuplicate(batch, Map.of(), now);
                if (original.isPresent()) {
                    BatchMetadata b = original.get();
                    int count = (int) (b.lastOffset() - b.firstOffset() + 1);
                    return Optional.of(new AppendResult(b.firstOffset(), b.lastOffset(), -1L, count, true));
                }
            }
        }
        return Optional.empty();
    }

    private AppendResult appendLocked(ByteBuffer records, List<RecordBatch> batches, int leaderEpoch, long now) {
        long firstOffset = logEndOffset();
        long next = firstOffset;
        boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        Map<Long, ProducerStateEntry> pending = new HashMap<>(2);
        for (RecordBatch batch : batches) {
            batch.setBaseOffset(next);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime) {
                batch.setLogAppendTime(now);
            }
            if (batch.hasProducerId()) {
                producerState.validateAndStage(batch, pending, now);
            }
            next = batch.lastOffset() + 1;
        }
        try {
            LogSegment segment = activeSegmentFor(records.remaining(), next - 1, now);
            segment.append(records, batches, now);
        } catch (DiskFullException e) {
            throw e; // the segment undid the write: refused, not broken
        } catch (IOException | RuntimeException e) {
            throw markOffline("append to " + topicPartition + " failed", e);
        }
        producerState.commit(pending, next);
        publish(next);
        return new AppendResult(firstOffset, next - 1, logAppendTime ? now : -1L, (int) (next - firstOffset), false);
    }

    /**
     * The segment to append to, rolled if due. Checking whether the active segment has room maps its index on first
     * use, which needs disk space: a full disk there has written nothing yet, so the append is refused (507) and the
     * log stays online. A failing roll itself takes the log offline (by the caller).
     */
    private LogSegment activeSegmentFor(int bytes, long lastOffset, long now) throws IOException {
        LogSegment segment = segments.active();
        boolean roll;
        try {
            roll = segment.shouldRoll(bytes, lastOffset, config, now);
        } catch (IOException | RuntimeException e) {
            if (StorageErrors.isDiskFull(e)) {
                throw new DiskFullException("append to " + topicPartition + " refused: disk full", e);
            }
            throw e;
        }
        return roll ? rollLocked() : segment;
    }

    /** Starts a new active segment at the log end offset (no-op if the active one is empty). */
    public void roll() {
        lock.lock();
        try {
            checkOnline();
            if (segments.active().size() > 0) {
                rollLocked();
                publish(logEndOffset());
            }
        } catch (IOException e) {
            throw markOffline("roll of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private LogSegment rollLocked() throws IOException {
        long newBase = logEndOffset();
        segments.active().onBecomeInactive();
        LogSegment next = LogSegment.create(files, dir, newBase, config);
        segments.add(next);
        producerState.takeSnapshot();
        events.flushCheckWanted(this); // the segment it left is fsync'ed by the next check
        return next;
    }

    /**
     * Whole batches from the one holding {@code offset}, at most maxBytes (but always the first batch whole),
     * only below the high watermark. Never blocks the writer.
     */
    public LogReadResult read(long offset, int maxBytes) {
        checkOnline();
        HighWatermark hw = highWatermark;
        long start = logStartOffset;
        if (offset < start || offset > hw.offset()) {
            throw new OffsetOutOfRangeException(offset, start, hw.offset());
        }
        try {
            return new LogReadResult(hw.offset(), start, LogReader.read(segments, hw, offset, maxBytes));
        } catch (ClosedChannelException e) {
            // retention or truncation removed the segment while we read it
            throw new OffsetOutOfRangeException(offset, logStartOffset, highWatermark());
        } catch (IOException e) {
            throw new StorageException("read of " + topicPartition + " at " + offset + " failed", e);
        }
    }

    /** The first record whose timestamp is at least the given one, if any is below the high watermark. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        checkOnline();
        try {
            return LogReader.offsetForTimestamp(segments, highWatermark, timestamp);
        } catch (IOException e) {
            throw new StorageException("timestamp lookup in " + topicPartition + " failed", e);
        }
    }

    /**
     * Removes every record at or above offset (for replication, which truncates at batch boundaries; an offset
     * inside a batch removes that whole batch). A no-op at or beyond the log end.
     */
    public void truncateTo(long offset) {
        lock.lock();
        try {
            checkOnline();
            if (offset >= logEndOffset()) {
                return;
            }
            if (offset <= logStartOffset) {
                truncateFullyLocked(Math.max(offset, 0));
                return;
            }
            for (LogSegment s : segments.all()) {
                if (s.baseOffset() > offset || (s.baseOffset() == offset && s != segments.first())) {
                    segments.remove(s.baseOffset());
                    s.deleteFiles();
                }
            }
            LogSegment active = segments.active();
            active.truncateTo(offset);
            active.makeActive();
            afterTruncation(active.readNextOffset());
        } catch (IOException e) {
            throw markOffline("truncation of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void truncateFullyLocked(long offset) throws IOException {
        for (LogSegment s : segments.all()) {
            segments.remove(s.baseOffset());
            s.deleteFiles();
        }
        segments.add(LogSegment.create(files, dir, offset, config));
        logStartOffset = offset;
        afterTruncation(offset);
    }

    private void afterTruncation(long offset) throws IOException {
        flushPolicy.truncateTo(offset);
        publish(offset);
        long from = producerState.reloadFrom(offset, logStartOffset);
        LogLoader.replay(producerState, segments, from, offset, clock.milliseconds());
        LOG.log(Level.INFO, "truncated " + topicPartition + " to offset " + offset);
    }

    /** Forces everything appended so far to disk and advances the recovery point. */
    public void flush() {
        flushPolicy.flushUpTo(logEndOffset());
    }

    /**
     * Flushes if flush.ms elapsed, or if segments rolled since the last flush; writes the checkpoint if moved. True
     * if the next periodic check must visit this log even without a {@link LogEvents#flushCheckWanted} (a finite
     * flush.ms).
     */
    boolean flushIfDue() {
        return flushPolicy.flushIfDue(config);
    }

    void writeCheckpointIfMoved() {
        flushPolicy.writeCheckpointIfMoved();
    }

    /**
     * Looks for files removed under the running log (by an operator or a failing disk): a removed segment file takes
     * the partition offline, removed index files are rebuilt (see {@link LogHealth#checkFiles}). Costs one stat of
     * the partition directory while its time shows nothing removed since the last complete check.
     */
    public void checkFiles() {
        lock.lock();
        try {
            health.checkFiles(segments.all());
        } finally {
            lock.unlock();
        }
    }

    /** Deletes whole segments that retention.ms / retention.bytes no longer keep; returns how many. */
    public int deleteOldSegments() {
        lock.lock();
        try {
            if (isOffline()) {
                return 0;
            }
            List<LogSegment> doomed = RetentionPolicy.deletable(segments.all(), config, clock.milliseconds());
            for (LogSegment s : doomed) {
                segments.remove(s.baseOffset());
                logStartOffset = segments.first().baseOffset();
                s.deleteFiles();
            }
            producerState.removeExpired(clock.milliseconds());
            if (!doomed.isEmpty()) {
                LOG.log(
                        Level.INFO,
                        "retention deleted " + doomed.size() + " segments of " + topicPartition
                                + ", log start offset now " + logStartOffset);
            }
            return doomed.size();
        } catch (IOException e) {
            throw markOffline("retention of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Flushes, snapshots producer state, checkpoints the recovery point and releases files. */
    void close() throws IOException {
        lock.lock();
        try {
            if (isOffline()) {
                for (LogSegment s : segments.all()) {
                    s.closeHandles();
                }
                return;
            }
            flush();
            producerState.takeSnapshot();
            for (LogSegment s : segments.all()) {
                s.close();
            }
            writeCheckpointIfMoved();
        } finally {
            lock.unlock();
        }
    }

    /** Closes and removes every file of the partition. */
    void deleteFiles() throws IOException {
        lock.lock();
        try {
            health.markDeleted();
            for (LogSegment s : segments.all()) {
                s.deleteFiles();
            }
            try (var list = Files.list(dir)) {
                for (Path f : (Iterable<Path>) list::iterator) {
                    files.deleteIfExists(f);
                }
            }
            files.deleteIfExists(dir);
        } finally {
            lock.unlock();
        }
    }

    private void checkOnline() {
        health.checkOnline();
    }

    /** Takes the partition offline after an I/O error; the returned exception is what the caller throws. */
    private StorageException markOffline(String what, Throwable e) {
        return health.markOffline(what, e);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset() + ")";
    }
}
