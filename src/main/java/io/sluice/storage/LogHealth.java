package io.sluice.storage;

import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * Whether one partition log is still usable, and why not. Owns the offline cause: once set (an I/O error, a
 * segment file removed under the running log, the partition deleted) it is never cleared, every later read or
 * append fails with {@link LogOfflineException} naming it, and background work (flush, checkpoint, retention)
 * skips the log. Refusals that leave the log intact (a full disk on an append, a fenced or out-of-order producer)
 * are passed through without taking it offline.
 *
 * <p>Thread-safety: the cause is volatile, so {@link #checkOnline} and {@link #isOffline} take no lock.
 * {@link #markOffline} and {@link #markDeleted} are called by whoever hit the error; {@link #checkFiles} must be
 * called with the partition's writer lock held, as it rebuilds index files and owns the {@link DirectoryChanges}.
 */
final class LogHealth {

    // the partition's logger, so that operators see these events under the same name as before
    private static final System.Logger LOG = System.getLogger(PartitionLog.class.getName());

    private final TopicPartition topicPartition;
    private final DirectoryChanges dirChanges;
    private volatile StorageException offline;

    LogHealth(TopicPartition topicPartition, DirectoryChanges dirChanges) {
        this.topicPartition = topicPartition;
        this.dirChanges = dirChanges;
    }

    boolean isOffline() {
        return offline != null;
    }

    Optional<StorageException> cause() {
        return Optional.ofNullable(offline);
    }

    void checkOnline() {
        StorageException cause = offline;
        if (cause != null) {
            throw new LogOfflineException(topicPartition + " is offline: " + cause.getMessage(), cause);
        }
    }

    /** Takes the partition offline after an I/O error; the returned exception is what the caller throws. */
    StorageException markOffline(String what, Throwable e) {
        StorageException error;
        if (e instanceof StorageException se) {
            error = se;
        } else if (StorageErrors.isDiskFull(e)) {
            error = new DiskFullException(what + ": disk full", e);
        } else {
            error = new LogOfflineException(what + ": " + e, e);
        }
        if (!(error instanceof ProducerFencedException) && !(error instanceof OutOfOrderSequenceException)) {
            offline = error;
            LOG.log(Level.ERROR, "taking " + topicPartition + " offline: " + what, e);
        }
        return error;
    }

    /** The partition is being deleted: nothing may use it any more. */
    void markDeleted() {
        offline = new LogOfflineException(topicPartition + " was deleted");
    }

    /**
     * Looks for files removed under the running log (by an operator or a failing disk). A segment file that is gone
     * takes the partition offline loudly: the open handle still reads it, but its records would be lost at the next
     * restart, so nothing more is acknowledged. Missing index files are rebuilt from their segment.
     *
     * <p>Called every few seconds for every partition, so it first stats the partition directory once and looks at
     * the segments only when the directory's time says an entry may have been removed since the last complete check
     * ({@link DirectoryChanges}: a changed time, a recent one, or none readable). The first check is always complete.
     */
    void checkFiles(List<LogSegment> segments) {
        try {
            if (isOffline() || !dirChanges.mayHaveChanged()) {
                return;
            }
            checkEachSegment(segments);
            dirChanges.checked();
        } catch (IOException | RuntimeException e) {
            if (!isOffline()) {
                throw markOffline("file check of " + topicPartition + " failed", e);
            }
        }
    }

    private void checkEachSegment(List<LogSegment> segments) throws IOException {
        for (LogSegment s : segments) {
            if (!Files.exists(s.logFile())) {
                throw markOffline(
                        "segment file " + s.logFile() + " was removed while the server ran",
                        new NoSuchFileException(s.logFile().toString()));
            }
            if (s.indexFilesRemoved()) {
                LOG.log(Level.WARNING, "index files of " + s.logFile() + " were removed; rebuilding them");
                s.rebuildMissingIndexes();
            }
        }
    }
}
