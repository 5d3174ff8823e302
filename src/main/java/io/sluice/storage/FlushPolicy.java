package io.sluice.storage;

import io.sluice.common.Clock;
import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * When one partition's appended bytes are forced to disk, and how far that is recorded. Owns the recovery point
 * (every offset below it has been fsync'ed), the unflushed-record count and last-flush time that make
 * {@code flush.messages} / {@code flush.ms} due, the partition's {@link Flusher} (group commit), and the
 * recovery-point checkpoint file.
 *
 * <p>Invariants: the recovery point never exceeds the log end offset and only moves back through
 * {@link #truncateTo}; {@code checkpointedRecoveryPoint} is the value the checkpoint file holds. Segments are
 * fsync'ed in base-offset order, from the one holding the recovery point, before the recovery point moves.
 *
 * <p>Thread-safety: {@link #onAppend} and {@link #truncateTo} must be called with the partition's writer lock
 * held. {@link #flushUpTo}, {@link #flushIfDue} and {@link #writeCheckpointIfMoved} may be called with or without
 * it: the fsyncs run outside the lock (unless the caller already holds it) and only the bookkeeping after them
 * takes it. The recovery points are volatile for lock-free reads; the unflushed count and last-flush time are
 * written under the lock ({@link #flushIfDue} reads the time without it: a stale value only shifts a periodic
 * flush by one tick). An I/O error takes the partition offline through its {@link LogHealth}, whose exception is thrown.
 *
 * <p>Periodic checks: {@link #flushIfDue} says whether the log needs checking again at the next tick regardless of
 * events (a finite {@code flush.ms}); otherwise {@link #flushUpTo} leaving the checkpoint behind or {@link #truncateTo}
 * calls {@code checkWanted}, as a roll does in {@link PartitionLog}, so that a caller checking many logs need only visit
 * those that changed. {@code checkWanted} may run with the writer lock held and must not block.
 */
final class FlushPolicy {

    private final TopicPartition topicPartition;
    private final StorageFiles files;
    private final Path dir;
    private final Clock clock;
    private final LogSegments segments;
    private final ReentrantLock lock;
    private final LongSupplier logEndOffset;
    private final LogHealth health;
    private final Flusher flusher;
    private final Runnable checkWanted;
    private volatile long recoveryPoint;
    private volatile long checkpointedRecoveryPoint;
    private long unflushedMessages;
    private long lastFlushMs;

    FlushPolicy(
            TopicPartition topicPartition,
            StorageFiles files,
            Path dir,
            Clock clock,
            LogSegments segments,
            ReentrantLock lock,
            LongSupplier logEndOffset,
            LogHealth health,
            long recoveryPoint,
            long checkpointedRecoveryPoint,
            Runnable checkWanted) {
        this.topicPartition = topicPartition;
        this.files = files;
        this.dir = dir;
        this.clock = clock;
        this.segments = segments;
        this.lock = lock;
        this.logEndOffset = logEndOffset;
        this.health = health;
        this.recoveryPoint = recoveryPoint;
        this.checkpointedRecoveryPoint = checkpointedRecoveryPoint;
        this.checkWanted = checkWanted;
        this.lastFlushMs = clock.milliseconds();
        this.flusher = new Flusher(recoveryPoint, logEndOffset, this::forceUpTo);
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    /** Counts appended records (writer lock held); whether flush.messages or flush.ms now make a flush due. */
    boolean onAppend(int records, long now, LogConfig config) {
        unflushedMessages += records;
        return unflushedMessages >= config.flushMessages() || now - lastFlushMs >= config.flushMs();
    }

    /** The log was cut at offset (writer lock held): nothing at or above it can count as flushed. */
    void truncateTo(long offset) {
        recoveryPoint = Math.min(recoveryPoint, offset);
        flusher.truncateTo(offset);
        checkWanted.run(); // the checkpoint may now name an offset the log no longer has
    }

    /**
     * Returns once everything below offset is on disk (a flush shared with concurrent callers), asking for a check
     * if the checkpoint is now behind.
     */
    void flushUpTo(long offset) {
        flushTo(offset);
        if (recoveryPoint != checkpointedRecoveryPoint) {
            checkWanted.run();
        }
    }

    private void flushTo(long offset) {
        try {
            flusher.flushUpTo(offset);
        } catch (IOException e) {
            throw health.markOffline("flush of " + topicPartition + " failed", e);
        }
    }

    /** Called by the flusher outside the writer lock: fsyncs segments from the recovery point up to offset. */
    private void forceUpTo(long offset) throws IOException {
        long fromBase =
                segments.floor(recoveryPoint).map(LogSegment::baseOffset).orElse(0L);
        for (LogSegment s : segments.range(fromBase, Long.MAX_VALUE)) {
            if (s.baseOffset() < offset || s.baseOffset() == fromBase) {
                s.flush();
            }
        }
        lock.lock();
        try {
            recoveryPoint = Math.max(recoveryPoint, offset);
            unflushedMessages = Math.max(0, logEndOffset.getAsLong() - offset);
            lastFlushMs = clock.milliseconds();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes if flush.ms elapsed, or if segments rolled since the last flush; writes the checkpoint if moved. True
     * if the log must be checked at the next tick even if nothing calls {@code checkWanted} (a finite flush.ms).
     */
    boolean flushIfDue(LogConfig config) {
        if (health.isOffline()) {
            return false;
        }
        boolean timed = config.flushMs() != Long.MAX_VALUE;
        boolean due = timed && clock.milliseconds() - lastFlushMs >= config.flushMs();
        long target = due ? logEndOffset.getAsLong() : segments.active().baseOffset();
        if (target > recoveryPoint) {
            flushTo(target);
        }
        writeCheckpointIfMoved();
        return timed;
    }

    void writeCheckpointIfMoved() {
        long point = recoveryPoint;
        if (point != checkpointedRecoveryPoint && !health.isOffline()) {
            try {
                RecoveryPointCheckpoint.write(files, dir, point);
                checkpointedRecoveryPoint = point;
            } catch (IOException e) {
                throw health.markOffline("cannot write the recovery point of " + topicPartition, e);
            }
        }
    }
}
