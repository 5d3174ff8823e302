package io.sluice.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one v2 batch record by record, encoding each into a growing buffer as it is appended (no intermediate
 * record objects). Offset deltas are 0, 1, 2, …; the base timestamp is the first record's; the base offset is 0 until
 * the log assigns the real one. Single use and not thread-safe.
 */
public final class RecordBatchBuilder {

    private static final int INITIAL_CAPACITY = 512;

    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_CAPACITY).position(RecordBatch.HEADER_SIZE);
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private CompressionType compression = CompressionType.NONE;
    private int recordCount;
    private long baseTimestamp = RecordBatch.NO_TIMESTAMP;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private boolean built;

    /** Marks the batch as sent by an idempotent producer. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder timestampType(TimestampType timestampType) {
        this.timestampType = timestampType;
        return this;
    }

    public RecordBatchBuilder compression(CompressionType compression) {
        if (!compression.isSupported()) {
            throw new IllegalArgumentException("compression " + compression + " is not supported");
        }
        this.compression = compression;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return append(
                timestamp,
                key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value),
                headers);
    }

    /** Appends a record; null key or value are encoded as absent (a null value is a tombstone). */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (recordCount == 0) {
            baseTimestamp = timestamp;
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        long timestampDelta = timestamp - baseTimestamp;
        byte[][] headerKeys = encodeHeaderKeys(headers);
        int bodySize = 1
                + Varints.sizeOfVarlong(timestampDelta)
                + Varints.sizeOfVarint(recordCount)
                + sizeOfNullable(key)
                + sizeOfNullable(value)
                + sizeOfHeaders(headers, headerKeys);
        ensureRoom(Varints.sizeOfVarint(bodySize) + bodySize);
        Varints.writeVarint(bodySize, buffer);
        buffer.put((byte) 0);
        Varints.writeVarlong(timestampDelta, buffer);
        Varints.writeVarint(recordCount, buffer);
        writeNullable(key);
        writeNullable(value);
        Varints.writeVarint(headers.size(), buffer);
        for (int i = 0; i < headerKeys.length; i++) {
            Varints.writeVarint(headerKeys[i].length, buffer);
            buffer.put(headerKeys[i]);
            byte[] headerValue = headers.get(i).value();
            writeNullable(headerValue == null ? null : ByteBuffer.wrap(headerValue));
        }
        recordCount++;
        return this;
    }

    public int recordCount() {
        return recordCount;
    }

    /** The batch size so far, before compression. */
    public int estimatedSizeInBytes() {
        return buffer.position();
    }

    /** Finishes the batch: writes the header, compresses if asked, computes the CRC. */
    public RecordBatch build() {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        built = true;
        ByteBuffer batch = compression == CompressionType.NONE ? buffer.flip() : compressed();
        writeHeader(batch);
        RecordBatch result = RecordBatch.wrap(batch);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) result.computeChecksum());
        return result;
    }

    private ByteBuffer compressed() {
        ByteBuffer records = buffer.flip().position(RecordBatch.HEADER_SIZE).slice();
        byte[] gzipped = GzipCodec.compress(records);
        return ByteBuffer.allocate(RecordBatch.HEADER_SIZE + gzipped.length)
                .position(RecordBatch.HEADER_SIZE)
                .put(gzipped)
                .flip();
    }

    private void writeHeader(ByteBuffer batch) {
        short attributes = (short)
                (compression.id() | (timestampType == TimestampType.LOG_APPEND_TIME ? TimestampType.ATTRIBUTE_BIT : 0));
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, 0L)
                .putInt(RecordBatch.LENGTH_OFFSET, batch.limit() - RecordBatch.LOG_OVERHEAD)
                .putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch)
                .put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC)
                .putShort(RecordBatch.ATTRIBUTES_OFFSET, attributes)
                .putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, recordCount - 1)
                .putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp)
                .putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp)
                .putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId)
                .putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch)
                .putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence)
                .putInt(RecordBatch.RECORDS_COUNT_OFFSET, recordCount);
    }

    private static byte[][] encodeHeaderKeys(List<Header> headers) {
        byte[][] keys = new byte[headers.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }

    private static int sizeOfHeaders(List<Header> headers, byte[][] headerKeys) {
        int size = Varints.sizeOfVarint(headers.size());
        for (int i = 0; i < headerKeys.length; i++) {
            byte[] value = headers.get(i).value();
            size += Varints.sizeOfVarint(headerKeys[i].length) + headerKeys[i].length;
            size += value == null ? 1 : Varints.sizeOfVarint(value.length) + value.length;
        }
        return size;
    }

    private static int sizeOfNullable(ByteBuffer bytes) {
        return bytes == null ? 1 : Varints.sizeOfVarint(bytes.remaining()) + bytes.remaining();
    }

    private void writeNullable(ByteBuffer bytes) {
        if (bytes == null) {
            Varints.writeVarint(-1, buffer);
        } else {
            Varints.writeVarint(bytes.remaining(), buffer);
            buffer.put(bytes.duplicate());
        }
    }

    private void ensureRoom(int bytes) {
        if (buffer.remaining() < bytes) {
            int capacity = Math.max(buffer.capacity() * 2, buffer.position() + bytes);
            ByteBuffer grown = ByteBuffer.allocate(capacity);
            grown.put(buffer.flip());
            buffer = grown;
        }
    }
}
