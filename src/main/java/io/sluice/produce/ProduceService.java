package io.sluice.produce;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.storage.AppendResult;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageException;
import io.sluice.topic.StorageErrors;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Appends records: chooses each record's partition, builds one batch per partition (in request order) and appends it.
 * Offsets come back in request order. Blocking: call it off the network threads. Thread-safe.
 *
 * <p>With an idempotency key every batch carries the key's producer id, epoch 0 and base sequence 0, and keyless
 * records go to a partition derived from the key, so a retry is recognised per partition by the log's producer state
 * and answered with the original offsets, without writing anything (also after a restart or a crash, as that state is
 * rebuilt from the batches on disk). A retry is recognised for {@code producer.id.expiration.ms} after the last write
 * with that key, as long as the batch is still within retention.
 */
public final class ProduceService {

    private static final int LEADER_EPOCH = 0;

    private final TopicService topics;
    private final Clock clock;
    private final TopicMetrics metrics;
    private final Partitioner partitioner = new Partitioner();

    public ProduceService(TopicService topics, Clock clock, TopicMetrics metrics) {
        this.topics = topics;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @param pinnedPartition the partition of the request path, if any: every record goes there
     * @param idempotencyKey the request's {@code Idempotency-Key}, if any
     */
    public List<RecordOffset> produce(
            String topic, OptionalInt pinnedPartition, List<ProduceRecord> records, Optional<String> idempotencyKey) {
        long start = clock.nanoseconds();
        if (records.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "a produce request needs at least one record");
        }
        int partitions = topics.partitionCount(topic);
        int[] placement = place(topic, partitions, pinnedPartition, records, idempotencyKey);
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < placement.length; i++) {
            byPartition.computeIfAbsent(placement[i], p -> new ArrayList<>()).add(i);
        }
        long[] offsets = new long[records.size()];
        long bytes = 0;
        for (Map.Entry<Integer, List<Integer>> entry : byPartition.entrySet()) {
            long first = append(topic, entry.getKey(), entry.getValue(), records, idempotencyKey);
            List<Integer> indexes = entry.getValue();
            for (int i = 0; i < indexes.size(); i++) {
                offsets[indexes.get(i)] = first + i;
            }
        }
        List<RecordOffset> result = new ArrayList<>(records.size());
        for (int i = 0; i < placement.length; i++) {
            result.add(new RecordOffset(placement[i], offsets[i]));
            bytes += records.get(i).payloadBytes();
        }
        metrics.produced(topic, records.size(), bytes, clock.nanoseconds() - start);
        return result;
    }

    private int[] place(
            String topic,
            int partitions,
            OptionalInt pinned,
            List<ProduceRecord> records,
            Optional<String> idempotencyKey) {
        int[] placement = new int[records.size()];
        int keyless = -1;
        for (int i = 0; i < placement.length; i++) {
            ProduceRecord record = records.get(i);
            if (pinned.isPresent()) {
                checkPinned(record, pinned.getAsInt());
                placement[i] = pinned.getAsInt();
            } else if (record.partition() != null) {
                placement[i] = record.partition();
            } else if (record.key() != null) {
                placement[i] = Partitioner.forKey(record.key(), partitions);
            } else {
                if (keyless < 0) {
                    keyless = idempotencyKey
                            .map(key -> Partitioner.forIdempotencyKey(key, partitions))
                            .orElseGet(() -> partitioner.forKeylessRequest(topic, partitions));
                }
                placement[i] = keyless;
            }
            checkExists(topic, partitions, placement[i]);
        }
        return placement;
    }

    private long append(
            String topic,
            int partition,
            List<Integer> indexes,
            List<ProduceRecord> records,
            Optional<String> idempotencyKey) {
        PartitionLog log = topics.log(topic, partition);
        RecordBatchBuilder builder = new RecordBatchBuilder();
        idempotencyKey.ifPresent(key -> builder.producer(IdempotencyKeys.producerId(key), (short) 0, 0));
        long now = clock.milliseconds();
        for (int index : indexes) {
            ProduceRecord record = records.get(index);
            long timestamp = record.timestamp() != null ? record.timestamp() : now;
            builder.append(timestamp, record.key(), record.value(), record.headers());
        }
        RecordBatch batch = builder.build();
        try {
            AppendResult result = log.appendAsLeader(batch.buffer(), LEADER_EPOCH);
            return result.firstOffset();
        } catch (StorageException e) {
            throw StorageErrors.translate(e, log.topicPartition());
        }
    }

    private static void checkPinned(ProduceRecord record, int pinned) {
        if (record.partition() != null && record.partition() != pinned) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST,
                    "record names partition " + record.partition() + " but the request is for partition " + pinned);
        }
    }

    private static void checkExists(String topic, int partitions, int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new SluiceException(
                    ErrorCode.PARTITION_NOT_FOUND,
                    "partition " + partition + " of topic '" + topic + "' not found; the topic has partitions 0.."
                            + (partitions - 1));
        }
    }
}
