package io.sluice.storage;

import io.sluice.common.Clock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a partition directory and, after an unclean stop, recovers it. Recovery is an ordinary code path:
 *
 * <ol>
 *   <li>leftover temp files are deleted; a segment whose index files are missing is re-checked and re-indexed;
 *   <li>after an unclean stop every batch from the segment holding the recovery point to the end is CRC-checked;
 *       the log is cut at the first torn or corrupt batch and later segments are deleted; the bytes cut are
 *       logged. A broken batch below the recovery point was fsync'ed, so it is corruption, not a torn write:
 *       {@link CorruptLogException}, never a silent cut;
 *   <li>producer state is loaded from the newest usable snapshot and the batch headers after it.
 * </ol>
 *
 * After a clean stop nothing is read but the directory listing and the producer snapshot: index files are mapped
 * lazily and checked when first used. Stateless; one call per partition, partitions may load in parallel.
 */
final class LogLoader {

    private static final System.Logger LOG = System.getLogger(LogLoader.class.getName());

    /** What loading produced. */
    record LoadedLog(
            LogSegments segments,
            long logStartOffset,
            long logEndOffset,
            long recoveryPoint,
            long checkpointedRecoveryPoint,
            ProducerStateManager producerState) {}

    private LogLoader() {}

    static LoadedLog load(Path dir, LogConfig config, Clock clock, boolean cleanShutdown) throws IOException {
        Files.createDirectories(dir);
        LogFiles.deleteTempFiles(dir);
        long recoveryPoint = RecoveryPointCheckpoint.read(dir);
        LogSegments segments = openSegments(dir, config);
        LogSegment from = segments.all().stream()
                .filter(s -> !s.indexFilesExist())
                .findFirst()
                .orElse(null);
        if (!cleanShutdown) {
            LogSegment atRecoveryPoint = segments.floor(recoveryPoint).orElse(segments.first());
            if (from == null || atRecoveryPoint.baseOffset() < from.baseOffset()) {
                from = atRecoveryPoint;
            }
        }
        if (from != null) {
            recoverFrom(segments, from, recoveryPoint, dir);
            for (LogSegment s : segments.range(from.baseOffset(), Long.MAX_VALUE)) {
                s.flush();
            }
        }
        long logEndOffset = logEndOffset(segments, from == null && cleanShutdown, recoveryPoint);
        long logStartOffset = segments.first().baseOffset();
        ProducerStateManager producerState = new ProducerStateManager(dir, config.producerIdExpirationMs());
        loadProducerState(producerState, segments, logStartOffset, logEndOffset, clock.milliseconds());
        for (LogSegment s : segments.all()) {
            s.closeHandles(); // reopened on first use: thousands of loaded logs must not hold a handle each
        }
        return new LoadedLog(segments, logStartOffset, logEndOffset, logEndOffset, recoveryPoint, producerState);
    }

    /**
     * After a clean stop the checkpoint holds the log end offset (close flushes, then writes it), which spares
     * opening the active segment; otherwise, or if it does not fit the active segment, the segment is read.
     */
    private static long logEndOffset(LogSegments segments, boolean trustCheckpoint, long recoveryPoint)
            throws IOException {
        LogSegment active = segments.active();
        if (active.size() == 0) {
            return active.baseOffset();
        }
        if (trustCheckpoint && recoveryPoint > active.baseOffset()) {
            return recoveryPoint;
        }
        return active.readNextOffset();
    }

    private static LogSegments openSegments(Path dir, LogConfig config) throws IOException {
        LogSegments segments = new LogSegments();
        long[] offsets = LogFiles.offsetsOf(dir, LogFiles.LOG_SUFFIX);
        for (int i = 0; i < offsets.length; i++) {
            segments.add(LogSegment.open(dir, offsets[i], config, i == offsets.length - 1));
        }
        if (segments.isEmpty()) {
            segments.add(LogSegment.create(dir, 0, config));
        }
        return segments;
    }

    /**
     * Recovers segments from this one to the end. A segment cut short ends the log: every later segment is
     * deleted (its data followed a torn write) and the cut one becomes active.
     */
    private static void recoverFrom(LogSegments segments, LogSegment from, long recoveryPoint, Path dir)
            throws IOException {
        List<LogSegment> toRecover = List.copyOf(segments.range(from.baseOffset(), Long.MAX_VALUE));
        long cutTotal = 0;
        for (int i = 0; i < toRecover.size(); i++) {
            LogSegment segment = toRecover.get(i);
            int cut = segment.recover(recoveryPoint, Integer.MAX_VALUE);
            cutTotal += cut;
            boolean last = i == toRecover.size() - 1;
            if (cut > 0 && !last) {
                for (LogSegment later : toRecover.subList(i + 1, toRecover.size())) {
                    cutTotal += later.size();
                    segments.remove(later.baseOffset());
                    later.deleteFiles();
                }
                segment.makeActive();
                break;
            }
        }
        if (cutTotal > 0) {
            LOG.log(Level.WARNING, "recovery of " + dir + " cut " + cutTotal + " bytes of torn or corrupt data");
        } else {
            LOG.log(Level.INFO, "recovery of " + dir + " found every batch intact");
        }
    }

    private static void loadProducerState(
            ProducerStateManager state, LogSegments segments, long logStartOffset, long logEndOffset, long nowMs)
            throws IOException {
        long from = state.reloadFrom(logEndOffset, logStartOffset);
        replay(state, segments, from, logEndOffset, nowMs);
    }

    /**
     * Feeds the headers of the batches in [from, to) to the producer state. Replayed entries count their expiry
     * from now: the time they were last written is not in the log.
     */
    static void replay(ProducerStateManager state, LogSegments segments, long from, long to, long nowMs)
            throws IOException {
        if (from >= to) {
            return;
        }
        long startBase = segments.floor(from).orElse(segments.first()).baseOffset();
        for (LogSegment segment : segments.range(startBase, Long.MAX_VALUE)) {
            BatchScanner scanner = new BatchScanner(segment.channel(), 0, segment.size());
            while (scanner.next()) {
                if (scanner.header().lastOffset() >= from && scanner.header().baseOffset() < to) {
                    state.replay(scanner.header(), nowMs);
                }
            }
        }
        state.commit(java.util.Map.of(), to);
    }
}
