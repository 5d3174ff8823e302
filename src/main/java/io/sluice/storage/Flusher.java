package io.sluice.storage;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Group commit for one partition: appenders that need their data on disk call {@link #flushUpTo}; one of them
 * runs the fsync while the others wait, and a single fsync covers every append written before it started. So N
 * concurrent appenders cost about two fsyncs, not N.
 *
 * <p>Thread-safe. The fsync runs outside the monitor (and outside the log's writer lock), so appends keep
 * landing in the OS while a flush is in progress and are picked up by the next one.
 */
final class Flusher {

    /** Forces the log to disk up to (excluding) the given offset. */
    interface ForceAction {
        void forceUpTo(long offset) throws IOException;
    }

    private final LongSupplier logEndOffset;
    private final ForceAction force;
    private long flushedOffset;
    private boolean flushing;

    Flusher(long flushedOffset, LongSupplier logEndOffset, ForceAction force) {
        this.flushedOffset = flushedOffset;
        this.logEndOffset = logEndOffset;
        this.force = force;
    }

    /** Returns once everything below target is on disk. */
    void flushUpTo(long target) throws IOException {
        synchronized (this) {
            while (flushedOffset < target && flushing) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while waiting for fsync", e);
                }
            }
            if (flushedOffset >= target) {
                return;
            }
            flushing = true;
        }
        long end = logEndOffset.getAsLong();
        boolean done = false;
        try {
            force.forceUpTo(end);
            done = true;
        } finally {
            synchronized (this) {
                flushing = false;
                if (done) {
                    flushedOffset = Math.max(flushedOffset, end);
                }
                notifyAll();
            }
        }
    }

    synchronized long flushedOffset() {
        return flushedOffset;
    }

    /** After a truncation the flushed offset may not exceed the new end. */
    synchronized void truncateTo(long offset) {
        flushedOffset = Math.min(flushedOffset, offset);
    }
}
