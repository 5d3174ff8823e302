package io.sluice.stream;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link LogAccess} over lists in memory, with wake-ups on append, and counters tests can assert on. */
final class InMemoryLogAccess implements LogAccess {

    private final Map<TopicPartition, List<StreamRecord>> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> logStart = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();

    private record Waiter(TopicPartition tp, long offset, CompletableFuture<Void> future) {}

    void createTopic(String topic, int partitions) {
        for (int p = 0; p < partitions; p++) {
            logs.put(new TopicPartition(topic, p), new CopyOnWriteArrayList<>());
            logStart.put(new TopicPartition(topic, p), 0L);
        }
    }

    void append(String topic, int partition, String value) {
        TopicPartition tp = new TopicPartition(topic, partition);
        List<StreamRecord> log = logs.get(tp);
        long offset;
        synchronized (log) {
            offset = logStart.get(tp) + log.size();
            log.add(new StreamRecord(
                    topic, partition, offset, 1000 + offset, null, value.getBytes(StandardCharsets.UTF_8), List.of()));
        }
        for (Waiter waiter : waiters) {
            if (waiter.tp.equals(tp) && waiter.offset < offset + 1) {
                waiter.future.complete(null);
            }
        }
    }

    int parkedWaiters() {
        waiters.removeIf(waiter -> waiter.future.isDone());
        return waiters.size();
    }

    @Override
    public int partitionCount(String topic) {
        int count = (int)
                logs.keySet().stream().filter(tp -> tp.topic().equals(topic)).count();
        if (count == 0) {
            throw new SluiceException(ErrorCode.TOPIC_NOT_FOUND, "no topic " + topic);
        }
        return count;
    }

    @Override
    public long logStartOffset(TopicPartition tp) {
        return logStart.get(tp);
    }

    @Override
    public long highWatermark(TopicPartition tp) {
        return logStart.get(tp) + logs.get(tp).size();
    }

    @Override
    public CompletableFuture<List<StreamRecord>> read(TopicPartition tp, long offset, int maxRecords, int maxBytes) {
        reads.incrementAndGet();
        List<StreamRecord> result = new ArrayList<>();
        for (StreamRecord record : logs.get(tp)) {
            if (record.offset() >= offset && result.size() < maxRecords) {
                result.add(record);
            }
        }
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public long offsetForTimestamp(TopicPartition tp, long timestamp) {
        return logs.get(tp).stream()
                .filter(record -> record.timestamp() >= timestamp)
                .mapToLong(StreamRecord::offset)
                .findFirst()
                .orElse(highWatermark(tp));
    }

    @Override
    public CompletableFuture<Void> awaitAppend(TopicPartition tp, long offset) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiters.add(new Waiter(tp, offset, future));
        if (highWatermark(tp) > offset) {
            future.complete(null);
        }
        return future;
    }
}
