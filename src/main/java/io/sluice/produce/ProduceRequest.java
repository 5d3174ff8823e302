package io.sluice.produce;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.Header;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.storage.PartitionLog;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One produce request being assembled: each record added is placed on its partition at once and encoded straight into
 * that partition's open {@link RecordBatchBuilder} (a new batch starts when {@code max.message.bytes} would be
 * exceeded), so a body parser can hand over slices of its own buffers and nothing per record is kept but two ints.
 * {@link #append} then writes the batches, partition by partition in order of first use, and answers every record's
 * offset in the order the records were added. Made by {@link ProduceService#open}; single use, not thread-safe.
 *
 * <p>{@link #add} checks placement (pinned partition, partition exists) before touching anything, so a record it
 * rejects leaves the request as it was. Nothing reaches the log before {@link #append}.
 */
public final class ProduceRequest {

    /** Absent partition or timestamp in {@link #add}. */
    public static final int NONE = -1;

    private final String topic;
    private final int partitions;
    private final OptionalInt pinned;
    private final Optional<String> idempotencyKey;
    private final TopicService topics;
    private final Partitioner partitioner;
    private final Clock clock;
    private final TopicMetrics metrics;
    private final long startNanos;
    private final long now;
    private final PartitionBatches[] byPartition;
    private final List<PartitionBatches> used = new ArrayList<>();
    private int keyless = NONE;
    private int count;
    private int[] batchOf = new int[16];
    private int[] deltaOf = new int[16];
    private int batches;
    private long producerId = Long.MIN_VALUE;
    private boolean appended;

    ProduceRequest(
            String topic,
            OptionalInt pinned,
            Optional<String> idempotencyKey,
            TopicService topics,
            Partitioner partitioner,
            Clock clock,
            TopicMetrics metrics) {
        this.startNanos = clock.nanoseconds();
        this.topic = topic;
        this.partitions = topics.partitionCount(topic);
        this.pinned = pinned;
        this.idempotencyKey = idempotencyKey;
        this.topics = topics;
        this.partitioner = partitioner;
        this.clock = clock;
        this.metrics = metrics;
        this.now = clock.milliseconds();
        this.byPartition = new PartitionBatches[partitions];
    }

    public String topic() {
        return topic;
    }

    /** Records added so far. */
    public int count() {
        return count;
    }

    /**
     * Adds a record whose key and value are slices ({@code length < 0}: absent); {@code partition} and {@code
     * timestamp} are {@link #NONE} when not given. Throws (adding nothing) when the record cannot be placed.
     */
    public void add(
            byte[] key,
            int keyOffset,
            int keyLength,
            byte[] value,
            int valueOffset,
            int valueLength,
            int partition,
            List<Header> headers,
            long timestamp) {
        int target = place(key, keyOffset, keyLength, partition);
        PartitionBatches batches = partitionBatches(target);
        long payload = Math.max(keyLength, 0) + Math.max(valueLength, 0) + headersPayload(headers);
        long size = 40 + Math.max(keyLength, 0) + Math.max(valueLength, 0) + headersSize(headers);
        RecordBatchBuilder builder = batches.builderFor(size, payload);
        builder.append(
                timestamp == NONE ? now : timestamp,
                key,
                keyOffset,
                keyLength,
                value,
                valueOffset,
                valueLength,
                headers);
        remember(batches.currentBatchId, builder.recordCount() - 1);
    }

    /** Adds a parsed record (see the slice variant). */
    public void add(ProduceRecord record) {
        byte[] key = record.key();
        byte[] value = record.value();
        add(
                key,
                0,
                key == null ? NONE : key.length,
                value,
                0,
                value == null ? NONE : value.length,
                record.partition() == null ? NONE : record.partition(),
                record.headers(),
                record.timestamp() == null ? NONE : record.timestamp());
    }

    /**
     * A new empty request for the same topic, path partition and idempotency key whose keyless records go to the
     * partition this one chose for them (or, if it chose none yet, to the one it would have chosen): for a body read a
     * second way after a first reading gave up, so that it moves the topic's keyless round-robin once, as one request.
     * This request must not be appended as well.
     */
    public ProduceRequest restart() {
        ProduceRequest fresh = new ProduceRequest(topic, pinned, idempotencyKey, topics, partitioner, clock, metrics);
        fresh.keyless = keyless;
        return fresh;
    }

    /**
     * Appends every batch, partition by partition. With {@code stopAtFailure} the first failed append is thrown (the
     * batches before it stay written, as with separate requests); otherwise a failed batch marks its records failed
     * and the others are still appended.
     */
    public ProducedOffsets append(boolean stopAtFailure) {
        if (appended) {
            throw new IllegalStateException("already appended");
        }
        appended = true;
        if (count == 0) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "a produce request needs at least one record");
        }
        long[] firstOffsets = new long[batches];
        int[] partitionOf = new int[batches];
        SluiceException[] failures = null;
        long records = 0;
        long bytes = 0;
        for (PartitionBatches partition : used) {
            for (int i = 0; i < partition.builders.size(); i++) {
                int id = partition.batchIds[i];
                partitionOf[id] = partition.partition;
                try {
                    partition.checkIdempotentLimit();
                    firstOffsets[id] = ProduceService.appendBatch(
                            partition.log, partition.builders.get(i).build(), idempotencyKey);
                    records += partition.builders.get(i).recordCount();
                    bytes += partition.batchPayload[i];
                } catch (SluiceException e) {
                    if (stopAtFailure) {
                        throw e;
                    }
                    failures = failures == null ? new SluiceException[batches] : failures;
                    failures[id] = e;
                }
            }
        }
        if (records > 0) {
            metrics.produced(topic, records, bytes, clock.nanoseconds() - startNanos);
        }
        return new ProducedOffsets(count, batchOf, deltaOf, firstOffsets, partitionOf, failures);
    }

    private int place(byte[] key, int keyOffset, int keyLength, int partition) {
        int target;
        if (pinned.isPresent()) {
            target = pinned.getAsInt();
            if (partition != NONE && partition != target) {
                throw new SluiceException(
                        ErrorCode.INVALID_REQUEST,
                        "record names partition " + partition + " but the request is for partition " + target);
            }
        } else if (partition != NONE) {
            target = partition;
        } else if (keyLength >= 0) {
            target = Partitioner.forKey(key, keyOffset, keyLength, partitions);
        } else {
            if (keyless == NONE) {
                keyless = idempotencyKey
                        .map(k -> Partitioner.forIdempotencyKey(k, partitions))
                        .orElseGet(() -> partitioner.forKeylessRequest(topic, partitions));
            }
            target = keyless;
        }
        if (target < 0 || target >= partitions) {
            throw new SluiceException(
                    ErrorCode.PARTITION_NOT_FOUND,
                    "partition " + target + " of topic '" + topic + "' not found; the topic has partitions 0.."
                            + (partitions - 1));
        }
        return target;
    }

    private PartitionBatches partitionBatches(int partition) {
        PartitionBatches batches = byPartition[partition];
        if (batches == null) {
            batches = new PartitionBatches(partition, topics.log(topic, partition));
            byPartition[partition] = batches;
            used.add(batches);
        }
        return batches;
    }

    private void remember(int batch, int delta) {
        if (count == batchOf.length) {
            batchOf = Arrays.copyOf(batchOf, count * 2);
            deltaOf = Arrays.copyOf(deltaOf, count * 2);
        }
        batchOf[count] = batch;
        deltaOf[count] = delta;
        count++;
    }

    /** The same upper bound of a record's header bytes the batch splitting has always used. */
    private static long headersSize(List<Header> headers) {
        long size = 0;
        for (Header header : headers) {
            size += 10
                    + header.key().getBytes(StandardCharsets.UTF_8).length
                    + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private static long headersPayload(List<Header> headers) {
        long size = 0;
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /** The batches of one partition: every one but the last is full. */
    private final class PartitionBatches {
        final int partition;
        final PartitionLog log;
        final int limit;
        final List<RecordBatchBuilder> builders = new ArrayList<>(1);
        // per builder: its batch id and its payload bytes (arrays, not lists: the payload grows with every record)
        int[] batchIds = new int[1];
        long[] batchPayload = new long[1];
        long currentSize;
        int currentBatchId;
        int records;

        PartitionBatches(int partition, PartitionLog log) {
            this.partition = partition;
            this.log = log;
            this.limit = log.config().maxMessageBytes();
        }

        /** The builder the next record of about {@code size} bytes goes into. */
        RecordBatchBuilder builderFor(long size, long payload) {
            RecordBatchBuilder current = builders.isEmpty() ? null : builders.get(builders.size() - 1);
            if (current == null || current.recordCount() > 0 && currentSize + size > limit) {
                current = new RecordBatchBuilder();
                if (idempotencyKey.isPresent()) {
                    current.producer(producerId(), (short) 0, records);
                }
                builders.add(current);
                currentBatchId = batches++;
                int last = builders.size() - 1;
                if (last == batchIds.length) {
                    batchIds = Arrays.copyOf(batchIds, last * 2);
                    batchPayload = Arrays.copyOf(batchPayload, last * 2);
                }
                batchIds[last] = currentBatchId;
                currentSize = RecordBatch.HEADER_SIZE;
            }
            currentSize += size;
            records++;
            batchPayload[builders.size() - 1] += payload;
            return current;
        }

        /** An idempotent request is recognised only if the log remembers all of its batches of a partition. */
        void checkIdempotentLimit() {
            if (idempotencyKey.isPresent() && builders.size() > ProduceService.MAX_IDEMPOTENT_BATCHES) {
                throw new SluiceException(
                        ErrorCode.RECORD_TOO_LARGE,
                        "an idempotent request may put at most " + ProduceService.MAX_IDEMPOTENT_BATCHES
                                + " batches of max.message.bytes (" + limit + ") on one partition; split the request");
            }
        }
    }

    private long producerId() {
        if (producerId == Long.MIN_VALUE) {
            producerId = IdempotencyKeys.producerId(idempotencyKey.orElseThrow());
        }
        return producerId;
    }
}
