package io.sluice.produce;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.storage.AppendResult;
import io.sluice.storage.OutOfOrderSequenceException;
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
 * Appends records: chooses each record's partition, builds the records of each partition into batches (in request
 * order; one batch unless {@code max.message.bytes} needs more) and appends them. Offsets come back in request order. Blocking: call it off the network threads. Thread-safe.
 *
 * <p>With an idempotency key every batch carries the key's producer id, epoch 0 and sequences counted from 0 per
 * partition (at most {@value #MAX_IDEMPOTENT_BATCHES} batches per partition), and keyless
 * records go to a partition derived from the key, so a retry is recognised per partition by the log's producer state
 * and answered with the original offsets, without writing anything (also after a restart or a crash, as that state is
 * rebuilt from the batches on disk). A retry is recognised for {@code producer.id.expiration.ms} after the last write
 * with that key, as long as the batch is still within retention.
 */
public final class ProduceService {

    private static final int LEADER_EPOCH = 0;

    /** The log remembers the last five batches of a producer id (as Kafka does); a retry beyond that is not seen. */
    static final int MAX_IDEMPOTENT_BATCHES = 5;

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
            long[] written = append(topic, entry.getKey(), entry.getValue(), records, idempotencyKey);
            List<Integer> indexes = entry.getValue();
            for (int i = 0; i < indexes.size(); i++) {
                offsets[indexes.get(i)] = written[i];
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

    /** Appends one partition's records, in as many batches as max.message.bytes needs; their offsets in order. */
    private long[] append(
            String topic,
            int partition,
            List<Integer> indexes,
            List<ProduceRecord> records,
            Optional<String> idempotencyKey) {
        PartitionLog log = topics.log(topic, partition);
        int limit = log.config().maxMessageBytes();
        List<Integer> ends = new ArrayList<>();
        for (int start = 0; start < indexes.size(); start = ends.get(ends.size() - 1)) {
            ends.add(batchEnd(indexes, records, start, limit));
        }
        if (idempotencyKey.isPresent() && ends.size() > MAX_IDEMPOTENT_BATCHES) {
            throw new SluiceException(
                    ErrorCode.RECORD_TOO_LARGE,
                    "an idempotent request may put at most " + MAX_IDEMPOTENT_BATCHES
                            + " batches of max.message.bytes (" + limit + ") on one partition; split the request");
        }
        long[] offsets = new long[indexes.size()];
        int start = 0;
        for (int end : ends) {
            RecordBatch batch = build(indexes.subList(start, end), records, idempotencyKey, start);
            long first = appendBatch(log, batch, idempotencyKey);
            for (int i = start; i < end; i++) {
                offsets[i] = first + (i - start);
            }
            start = end;
        }
        return offsets;
    }

    /** The end (exclusive) of the batch starting at {@code start}: at least one record, else within the limit. */
    private static int batchEnd(List<Integer> indexes, List<ProduceRecord> records, int start, int limit) {
        long size = RecordBatch.HEADER_SIZE;
        int end = start;
        while (end < indexes.size()) {
            long next = records.get(indexes.get(end)).encodedSizeUpperBound();
            if (end > start && size + next > limit) {
                break;
            }
            size += next;
            end++;
        }
        return end;
    }

    private RecordBatch build(
            List<Integer> indexes, List<ProduceRecord> records, Optional<String> idempotencyKey, int baseSequence) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        idempotencyKey.ifPresent(key -> builder.producer(IdempotencyKeys.producerId(key), (short) 0, baseSequence));
        long now = clock.milliseconds();
        for (int index : indexes) {
            ProduceRecord record = records.get(index);
            long timestamp = record.timestamp() != null ? record.timestamp() : now;
            builder.append(timestamp, record.key(), record.value(), record.headers());
        }
        return builder.build();
    }

    private static long appendBatch(PartitionLog log, RecordBatch batch, Optional<String> idempotencyKey) {
        try {
            AppendResult result = log.appendAsLeader(batch.buffer(), LEADER_EPOCH);
            return result.firstOffset();
        } catch (OutOfOrderSequenceException e) {
            if (idempotencyKey.isPresent()) {
                throw new SluiceException(
                        ErrorCode.OUT_OF_ORDER_SEQUENCE,
                        "Idempotency-Key '" + idempotencyKey.get() + "' was already used for a different request ("
                                + log.topicPartition() + " holds a different number of its records); use a new key",
                        e);
            }
            throw StorageErrors.translate(e, log.topicPartition());
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
