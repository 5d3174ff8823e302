package io.sluice.storage;

import io.sluice.record.RecordBatch;
import io.sluice.storage.ProducerStateEntry.BatchMetadata;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The idempotent-producer state of one partition: a {@link ProducerStateEntry} per producer id, covering every
 * batch below {@link #mapEndOffset()}. It decides, for each appended batch that carries a producer id, whether it
 * is new (its sequence directly follows the producer's last one), a retry of one of the last five batches (a
 * duplicate, answered with the original offsets), out of order, or from a fenced (older) epoch.
 *
 * <p>Rules, as in Kafka: a lower epoch is fenced; a higher epoch must start at sequence 0; an unknown producer
 * may start at any sequence; otherwise the first sequence must be the last one plus 1 (wrapping at 2^31-1).
 * Entries expire {@code producer.id.expiration.ms} after the producer last wrote.
 *
 * <p>Recovery rebuilds the state from the latest snapshot file plus the batch headers written after it.
 * Snapshots are taken at segment roll and on clean close. Not thread-safe: the partition's writer lock guards it.
 */
final class ProducerStateManager {

    private static final System.Logger LOG = System.getLogger(ProducerStateManager.class.getName());
    private static final int SNAPSHOTS_KEPT = 2;

    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    private long expirationMs;
    private long mapEndOffset;
    private long snapshotOffset = -1;

    ProducerStateManager(Path dir, long expirationMs) {
        this.dir = dir;
        this.expirationMs = expirationMs;
    }

    void setExpirationMs(long expirationMs) {
        this.expirationMs = expirationMs;
    }

    /** The state covers every batch below this offset. */
    long mapEndOffset() {
        return mapEndOffset;
    }

    int producerCount() {
        return producers.size();
    }

    Optional<ProducerStateEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    /** A batch already written with this producer id, epoch and sequence range, if the batch is a retry. */
    Optional<BatchMetadata> findDuplicate(RecordBatch batch, Map<Long, ProducerStateEntry> pending, long nowMs) {
        ProducerStateEntry current = current(batch.producerId(), pending, nowMs);
        if (current == null || batch.baseSequence() == RecordBatch.NO_SEQUENCE) {
            return Optional.empty();
        }
        return current.findDuplicate(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
    }

    /**
     * Checks a new batch (offsets assigned) and records its updated entry in pending; throws
     * {@link ProducerFencedException} or {@link OutOfOrderSequenceException}.
     */
    void validateAndStage(RecordBatch batch, Map<Long, ProducerStateEntry> pending, long nowMs) {
        long producerId = batch.producerId();
        ProducerStateEntry current = current(producerId, pending, nowMs);
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        if (current != null) {
            if (epoch < current.epoch()) {
                throw new ProducerFencedException("producer " + producerId + " epoch " + epoch
                        + " is older than the current epoch " + current.epoch());
            }
            if (epoch > current.epoch() && firstSeq != 0) {
                throw new OutOfOrderSequenceException("producer " + producerId + " started epoch " + epoch
                        + " at sequence " + firstSeq + ", expected 0");
            }
            if (epoch == current.epoch() && current.lastSeq() >= 0 && !inSequence(current.lastSeq(), firstSeq)) {
                throw new OutOfOrderSequenceException(
                        "producer " + producerId + " sent sequence " + firstSeq + " after " + current.lastSeq());
            }
        }
        pending.put(producerId, stage(current, batch, nowMs));
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (lastSeq == Integer.MAX_VALUE && nextSeq == 0);
    }

    private static ProducerStateEntry stage(ProducerStateEntry current, RecordBatch batch, long timestamp) {
        ProducerStateEntry base = current != null
                ? current
                : ProducerStateEntry.empty(batch.producerId(), batch.producerEpoch(), timestamp);
        BatchMetadata metadata =
                new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset());
        return base.withBatch(batch.producerEpoch(), metadata, timestamp);
    }

    private ProducerStateEntry current(long producerId, Map<Long, ProducerStateEntry> pending, long nowMs) {
        ProducerStateEntry staged = pending.get(producerId);
        if (staged != null) {
            return staged;
        }
        ProducerStateEntry stored = producers.get(producerId);
        return stored == null || stored.isExpired(nowMs, expirationMs) ? null : stored;
    }

    /** Makes the staged entries current once their batches are written; the state now covers up to endOffset. */
    void commit(Map<Long, ProducerStateEntry> pending, long endOffset) {
        producers.putAll(pending);
        mapEndOffset = endOffset;
    }

    /** Applies a batch read back from the log during recovery, without validation. */
    void replay(RecordBatch header, long nowMs) {
        if (header.hasProducerId()) {
            ProducerStateEntry current = producers.get(header.producerId());
            producers.put(header.producerId(), stage(current, header, nowMs));
        }
        mapEndOffset = header.lastOffset() + 1;
    }

    void removeExpired(long nowMs) {
        producers.values().removeIf(e -> e.isExpired(nowMs, expirationMs));
    }

    /**
     * Writes the current state as {@code <mapEndOffset>.snapshot} and drops all but the newest snapshots; skipped
     * when the newest snapshot already covers the same offset.
     */
    void takeSnapshot() throws IOException {
        if (snapshotOffset == mapEndOffset) {
            return;
        }
        snapshotOffset = mapEndOffset;
        ProducerStateSnapshot.write(LogFiles.snapshotFile(dir, mapEndOffset), producers.values());
        long[] offsets = LogFiles.offsetsOf(dir, LogFiles.SNAPSHOT_SUFFIX);
        for (int i = 0; i < offsets.length - SNAPSHOTS_KEPT; i++) {
            Files.deleteIfExists(LogFiles.snapshotFile(dir, offsets[i]));
        }
    }

    /**
     * Forgets everything and loads the newest readable snapshot at or below maxOffset (deleting newer ones,
     * which describe truncated data). Returns the offset from which the caller must replay the log.
     */
    long reloadFrom(long maxOffset, long logStartOffset) throws IOException {
        producers.clear();
        long[] offsets = LogFiles.offsetsOf(dir, LogFiles.SNAPSHOT_SUFFIX);
        for (int i = offsets.length - 1; i >= 0; i--) {
            Path file = LogFiles.snapshotFile(dir, offsets[i]);
            if (offsets[i] > maxOffset || offsets[i] < logStartOffset) {
                Files.deleteIfExists(file);
                continue;
            }
            try {
                for (ProducerStateEntry e : ProducerStateSnapshot.read(file)) {
                    producers.put(e.producerId(), e);
                }
                mapEndOffset = offsets[i];
                snapshotOffset = offsets[i];
                return offsets[i];
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "ignoring unreadable producer snapshot " + file + ": " + e.getMessage());
                producers.clear();
                Files.deleteIfExists(file);
            }
        }
        mapEndOffset = logStartOffset;
        snapshotOffset = maxOffset == logStartOffset ? logStartOffset : -1;
        return logStartOffset;
    }
}
