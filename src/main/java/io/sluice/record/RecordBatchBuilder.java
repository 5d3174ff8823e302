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
        byte[][] headerKeys = encodeHeaderKeys(headers);
        int bodySize = startRecord(
                timestamp, sizeOfNullable(key) + sizeOfNullable(value) + sizeOfHeaders(headers, headerKeys));
        ensureRoom(Varints.sizeOfVarint(bodySize) + bodySize);
        writeRecordStart(bodySize, timestamp);
        writeNullable(key);
        writeNullable(value);
        writeHeaders(headers, headerKeys);
        recordCount++;
        return this;
    }

    /**
     * Appends a record whose key and value are slices of arrays, copied straight into the batch (no wrapping). A
     * negative length means absent (null); the array is then not read.
     */
    public RecordBatchBuilder append(
            long timestamp,
            byte[] key,
            int keyOffset,
            int keyLength,
            byte[] value,
            int valueOffset,
            int valueLength,
            List<Header> headers) {
        byte[][] headerKeys = encodeHeaderKeys(headers);
        int bodySize = startRecord(
                timestamp,
                sizeOfNullable(keyLength) + sizeOfNullable(valueLength) + sizeOfHeaders(headers, headerKeys));
        ensureRoom(Varints.sizeOfVarint(bodySize) + bodySize);
        writeRecordStart(bodySize, timestamp);
        writeNullable(key, keyOffset, keyLength);
        writeNullable(value, valueOffset, valueLength);
        writeHeaders(headers, headerKeys);
        recordCount++;
        return this;
    }

    /** Checks the builder is open, tracks the timestamps; the record's body size given its fields' size. */
    private int startRecord(long timestamp, int fieldsSize) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (recordCount == 0) {
            baseTimestamp = timestamp;
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        return 1 + Varints.sizeOfVarlong(timestamp - baseTimestamp) + Varints.sizeOfVarint(recordCount) + fieldsSize;
    }

    private void writeRecordStart(int bodySize, long timestamp) {
        Varints.writeVarint(bodySize, buffer);
        buffer.put((byte) 0);
        Varints.writeVarlong(timestamp - baseTimestamp, buffer);
        Varints.writeVarint(recordCount, buffer);
    }

    private void writeHeaders(List<Header> headers, byte[][] headerKeys) {
        Varints.writeVarint(headers.size(), buffer);
        for (int i = 0; i < headerKeys.length; i++) {
            Varints.writeVarint(headerKeys[i].length, buffer);
            buffer.put(headerKeys[i]);
            byte[] headerValue = headers.get(i).value();
            writeNullable(headerValue == null ? null : ByteBuffer.wrap(headerValue));
        }
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

    private static final byte[][] NO_HEADER_KEYS = new byte[0][];

    private static byte[][] encodeHeaderKeys(List<Header> headers) {
        if (headers.isEmpty()) {
            return NO_HEADER_KEYS;
        }
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

    private static int sizeOfNullable(int length) {
        return length < 0 ? 1 : Varints.sizeOfVarint(length) + length;
    }

    private void writeNullable(byte[] bytes, int offset, int length) {
        if (length < 0) {
            Varints.writeVarint(-1, buffer);
        } else {
            Varints.writeVarint(length, buffer);
            buffer.put(bytes, offset, length);
        }
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
