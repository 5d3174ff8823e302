package io.sluice.stream;

import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a topic's partitions on demand, one batch per {@link #next()} call, so a stream reads only as fast as its
 * consumer asks: nothing is read ahead and nothing is buffered here. Partitions with data are served round-robin,
 * so a busy partition cannot starve the others; within a partition, offsets only go up (no loss, no repeat).
 *
 * <p>When no partition has data {@code next()} first yields one {@link CursorEvent.CaughtUp}, then waits (holding
 * no thread) for an append to any partition, or yields {@link CursorEvent.Idle} after {@code idleMs}. In credit mode
 * it also waits while the client's {@link Credits} are exhausted.
 *
 * <p>Thread-safety: at most one {@code next()} may be outstanding at a time (the caller calls again only after the
 * previous future completed); {@link #close()} may be called from any thread at any time.
 */
public final class TopicCursor implements AutoCloseable {

    private final LogAccess logs;
    private final String topic;
    private final int[] partitions;
    private final long[] nextOffsets;
    private final int maxRecords;
    private final int maxBytes;
    private final long idleMs;
    private final Credits credits;
    private final List<CompletableFuture<?>> waits = new ArrayList<>();
    private int roundRobin;
    private boolean caughtUpReported;
    private volatile boolean closed;

    /**
     * @param start next offset per partition (its keys are the partitions this cursor reads)
     * @param credits null = no credit mode: only the caller's pace limits delivery
     */
    public TopicCursor(
            LogAccess logs,
            String topic,
            Map<Integer, Long> start,
            int maxRecords,
            int maxBytes,
            long idleMs,
            Credits credits) {
        this.logs = logs;
        this.topic = topic;
        TreeMap<Integer, Long> sorted = new TreeMap<>(start);
        this.partitions = sorted.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.nextOffsets = sorted.values().stream().mapToLong(Long::longValue).toArray();
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.idleMs = idleMs;
        this.credits = credits;
    }

    public String topic() {
        return topic;
    }

    /** The position after everything delivered so far. */
    public synchronized PositionToken position() {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int i = 0; i < partitions.length; i++) {
            offsets.put(partitions[i], nextOffsets[i]);
        }
        return PositionToken.of(offsets);
    }

    /** The next event; see the class comment. Fails with {@link CancellationException} once closed. */
    public CompletableFuture<CursorEvent> next() {
        if (closed) {
            return CompletableFuture.failedFuture(new CancellationException("cursor closed"));
        }
        if (credits != null && credits.available() == 0) {
            return track(credits.awaitPositive()).thenCompose(ignored -> next());
        }
        int index = nextReadable();
        if (index >= 0) {
            return readFrom(index);
        }
        if (!caughtUpReported) {
            caughtUpReported = true;
            return CompletableFuture.completedFuture(new CursorEvent.CaughtUp(position(), highWatermarks()));
        }
        return awaitAnyAppend();
    }

    @Override
    public void close() {
        closed = true;
        cancelWaits();
    }

    private CompletableFuture<CursorEvent> readFrom(int index) {
        TopicPartition tp = new TopicPartition(topic, partitions[index]);
        long offset = nextOffsets[index];
        int limit = credits == null ? maxRecords : (int) Math.min(maxRecords, credits.available());
        return logs.read(tp, offset, limit, maxBytes).thenApply(records -> delivered(index, offset, records, limit));
    }

    private synchronized CursorEvent delivered(int index, long offset, List<StreamRecord> read, int limit) {
        List<StreamRecord> records = new ArrayList<>(Math.min(read.size(), limit));
        for (StreamRecord record : read) {
            if (record.offset() >= offset && records.size() < limit) {
                records.add(record);
            }
        }
        if (records.isEmpty()) {
            // Only when the log moved under us (truncation, retention): re-anchor and let the caller ask again.
            nextOffsets[index] = Math.max(offset, logs.logStartOffset(new TopicPartition(topic, partitions[index])));
            return new CursorEvent.Idle();
        }
        nextOffsets[index] = records.get(records.size() - 1).offset() + 1;
        if (credits != null) {
            credits.consume(records.size());
        }
        caughtUpReported = false;
        return new CursorEvent.Records(records, position());
    }

    private synchronized int nextReadable() {
        for (int step = 0; step < partitions.length; step++) {
            int index = (roundRobin + step) % partitions.length;
            if (nextOffsets[index] < logs.highWatermark(new TopicPartition(topic, partitions[index]))) {
                roundRobin = index + 1;
                return index;
            }
        }
        return -1;
    }

    private CompletableFuture<CursorEvent> awaitAnyAppend() {
        List<CompletableFuture<Void>> appends = new ArrayList<>(partitions.length);
        synchronized (this) {
            for (int i = 0; i < partitions.length; i++) {
                appends.add(logs.awaitAppend(new TopicPartition(topic, partitions[i]), nextOffsets[i]));
            }
        }
        CompletableFuture<Boolean> woken = CompletableFuture.anyOf(appends.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> true)
                .completeOnTimeout(false, idleMs, TimeUnit.MILLISECONDS);
        appends.forEach(this::track);
        return woken.whenComplete((ignored, error) -> appends.forEach(append -> append.cancel(false)))
                .thenCompose(appended -> appended ? next() : CompletableFuture.completedFuture(new CursorEvent.Idle()));
    }

    private Map<Integer, Long> highWatermarks() {
        Map<Integer, Long> result = new TreeMap<>();
        for (int partition : partitions) {
            result.put(partition, logs.highWatermark(new TopicPartition(topic, partition)));
        }
        return result;
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> wait) {
        synchronized (waits) {
            waits.removeIf(CompletableFuture::isDone);
            waits.add(wait);
        }
        if (closed) {
            wait.cancel(false);
        }
        return wait;
    }

    private void cancelWaits() {
        List<CompletableFuture<?>> pending;
        synchronized (waits) {
            pending = new ArrayList<>(waits);
            waits.clear();
        }
        pending.forEach(wait -> wait.cancel(false));
    }
}
