package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Topics as the coordinator sees them, kept in memory: partition counts, and per partition a log of record timestamps
 * with a movable start (retention). Stands in for the topic service and storage, which live on other branches.
 * Thread-safe.
 */
final class InMemoryTopics implements TopicCatalog, PartitionOffsets {

    private final Map<String, List<Log>> topics = new TreeMap<>();
    private long version;
    private int namesAsked;

    private static final class Log {
        final List<Long> timestamps = new ArrayList<>();
        long start;
    }

    synchronized InMemoryTopics create(String topic, int partitions) {
        List<Log> logs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            logs.add(new Log());
        }
        topics.put(topic, logs);
        version++;
        return this;
    }

    synchronized void addPartitions(String topic, int newCount) {
        List<Log> logs = topics.get(topic);
        while (logs.size() < newCount) {
            logs.add(new Log());
        }
        version++;
    }

    synchronized void delete(String topic) {
        topics.remove(topic);
        version++;
    }

    /** How many times the topic names were asked for. */
    synchronized int namesAsked() {
        return namesAsked;
    }

    /** Appends {@code count} records stamped {@code timestamp}; returns the new log end. */
    synchronized long append(TopicPartition tp, int count, long timestamp) {
        Log log = log(tp);
        for (int i = 0; i < count; i++) {
            log.timestamps.add(timestamp);
        }
        return log.timestamps.size();
    }

    /** Retention: records below {@code offset} are gone. */
    synchronized void deleteBefore(TopicPartition tp, long offset) {
        Log log = log(tp);
        log.start = Math.max(log.start, Math.min(offset, log.timestamps.size()));
    }

    @Override
    public synchronized long version() {
        return version;
    }

    @Override
    public synchronized Set<String> topicNames() {
        namesAsked++;
        return new TreeSet<>(topics.keySet());
    }

    @Override
    public synchronized OptionalInt partitionCount(String topic) {
        List<Log> logs = topics.get(topic);
        return logs == null ? OptionalInt.empty() : OptionalInt.of(logs.size());
    }

    @Override
    public synchronized long logStartOffset(TopicPartition tp) {
        return log(tp).start;
    }

    @Override
    public synchronized long logEndOffset(TopicPartition tp) {
        return log(tp).timestamps.size();
    }

    @Override
    public synchronized OptionalLong offsetForTimestamp(TopicPartition tp, long timestamp) {
        Log log = log(tp);
        for (long o = log.start; o < log.timestamps.size(); o++) {
            if (log.timestamps.get((int) o) >= timestamp) {
                return OptionalLong.of(o);
            }
        }
        return OptionalLong.empty();
    }

    private Log log(TopicPartition tp) {
        List<Log> logs = topics.get(tp.topic());
        if (logs == null || tp.partition() >= logs.size()) {
            throw new SluiceException(ErrorCode.PARTITION_NOT_FOUND, "partition " + tp + " not found");
        }
        return logs.get(tp.partition());
    }
}
