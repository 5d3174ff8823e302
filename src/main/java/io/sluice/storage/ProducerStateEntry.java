package io.sluice.storage;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the log remembers about one idempotent producer: its epoch, when it last wrote, and the sequence ranges
 * and offsets of its last {@value #MAX_BATCHES} batches (the most a Kafka producer has in flight), oldest first.
 * Immutable: an append computes a new entry and the writer swaps it in after the bytes are written, so a failed
 * write leaves the state untouched. Kept small because there may be one per idempotency key.
 */
record ProducerStateEntry(long producerId, short epoch, long lastTimestamp, BatchMetadata[] batches) {

    static final int MAX_BATCHES = 5;

    /** One batch's sequence range and the offsets it was written at. */
    record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {}

    static ProducerStateEntry empty(long producerId, short epoch, long timestamp) {
        return new ProducerStateEntry(producerId, epoch, timestamp, new BatchMetadata[0]);
    }

    /** The earlier batch with exactly this sequence range, if this is a retry of it. */
    Optional<BatchMetadata> findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
        if (batchEpoch != epoch) {
            return Optional.empty();
        }
        for (BatchMetadata b : batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The last sequence written, or -1 if no batch is remembered. */
    int lastSeq() {
        return batches.length == 0 ? -1 : batches[batches.length - 1].lastSeq();
    }

    /** A copy with this batch remembered (dropping the oldest beyond five); a new epoch forgets older batches. */
    ProducerStateEntry withBatch(short batchEpoch, BatchMetadata batch, long timestamp) {
        BatchMetadata[] kept = batchEpoch == epoch ? batches : new BatchMetadata[0];
        int from = Math.max(0, kept.length + 1 - MAX_BATCHES);
        BatchMetadata[] next = Arrays.copyOfRange(kept, from, kept.length + 1);
        next[next.length - 1] = batch;
        return new ProducerStateEntry(producerId, batchEpoch, timestamp, next);
    }

    boolean isExpired(long nowMs, long expirationMs) {
        return nowMs - lastTimestamp >= expirationMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerStateEntry e
                && e.producerId == producerId
                && e.epoch == epoch
                && e.lastTimestamp == lastTimestamp
                && Arrays.equals(e.batches, batches);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(producerId) * 31 + Arrays.hashCode(batches);
    }

    @Override
    public String toString() {
        return "ProducerStateEntry(" + producerId + ", epoch=" + epoch + ", batches=" + Arrays.toString(batches) + ")";
    }
}
