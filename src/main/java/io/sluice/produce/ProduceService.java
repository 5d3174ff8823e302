package io.sluice.produce;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.RecordBatch;
import io.sluice.storage.AppendResult;
import io.sluice.storage.OutOfOrderSequenceException;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageException;
import io.sluice.topic.StorageErrors;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.util.ArrayList;
import java.util.List;
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
     * Starts a request whose records are added one by one (see {@link ProduceRequest}); throws {@link
     * io.sluice.common.ErrorCode#TOPIC_NOT_FOUND} at once.
     *
     * @param pinnedPartition the partition of the request path, if any: every record goes there
     * @param idempotencyKey the request's {@code Idempotency-Key}, if any
     */
    public ProduceRequest open(String topic, OptionalInt pinnedPartition, Optional<String> idempotencyKey) {
        return new ProduceRequest(topic, pinnedPartition, idempotencyKey, topics, partitioner, clock, metrics);
    }

    /**
     * Produces parsed records (see {@link #open}); checks the topic, then every record's placement, before appending
     * anything.
     */
    public List<RecordOffset> produce(
            String topic, OptionalInt pinnedPartition, List<ProduceRecord> records, Optional<String> idempotencyKey) {
        if (records.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "a produce request needs at least one record");
        }
        return produce(open(topic, pinnedPartition, idempotencyKey), records);
    }

    /**
     * Produces parsed records through a request opened (or {@linkplain ProduceRequest#restart() restarted}) but not yet
     * given any record; checks every record's placement before appending anything.
     */
    public List<RecordOffset> produce(ProduceRequest request, List<ProduceRecord> records) {
        if (records.isEmpty()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "a produce request needs at least one record");
        }
        for (ProduceRecord record : records) {
            request.add(record);
        }
        ProducedOffsets offsets = request.append(true);
        List<RecordOffset> result = new ArrayList<>(offsets.count());
        for (int i = 0; i < offsets.count(); i++) {
            result.add(new RecordOffset(offsets.partition(i), offsets.offset(i)));
        }
        return result;
    }

    static long appendBatch(PartitionLog log, RecordBatch batch, Optional<String> idempotencyKey) {
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
}
