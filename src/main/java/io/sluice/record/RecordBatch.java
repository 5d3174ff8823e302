package io.sluice.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A view over one record batch in Kafka's v2 layout, the unit Sluice stores and serves. Big-endian header:
 *
 * <pre>
 *  offset  size  field
 *       0     8  baseOffset             rewritten by the broker on append
 *       8     4  length                 bytes after this field
 *      12     4  partitionLeaderEpoch   rewritten by the broker on append
 *      16     1  magic                  always 2
 *      17     4  crc                    CRC32C of every byte from attributes to the end
 *      21     2  attributes             bits 0-2 compression, 3 timestamp type, 4 transactional, 5 control
 *      23     4  lastOffsetDelta
 *      27     8  baseTimestamp
 *      35     8  maxTimestamp
 *      43     8  producerId
 *      51     2  producerEpoch
 *      53     4  baseSequence
 *      57     4  recordCount
 *      61     …  records (compressed as a whole when the codec is not NONE)
 * </pre>
 *
 * <p>The CRC deliberately starts after the two fields the broker rewrites, so assigning offsets and leader epochs
 * never requires recomputing it. The view does not validate on construction; use {@link #ensureValid()} or
 * {@link RecordBatchValidator}. Not thread-safe when mutated; concurrent readers of an unmodified batch are fine.
 */
public final class RecordBatch implements Iterable<Record> {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Bytes before the length field's count starts: base offset and the length itself. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + 4;
    /** The size of the fixed header, and of an empty batch. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;

    public static final byte MAGIC = 2;
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final long NO_TIMESTAMP = -1L;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;

    private static final int TRANSACTIONAL_BIT = 0x10;
    private static final int CONTROL_BIT = 0x20;

    private final ByteBuffer buffer;

    private RecordBatch(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * A view of the batch between the buffer's position and limit. The view shares the buffer's content (mutations
     * through the setters are visible in it) but not its position.
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        return new RecordBatch(buffer.slice());
    }

    /** The batch's bytes: a duplicate positioned at the batch start with the limit at its end. */
    public ByteBuffer buffer() {
        ByteBuffer view = buffer.duplicate();
        view.position(0).limit(Math.min(view.capacity(), sizeInBytes()));
        return view;
    }

    public int sizeInBytes() {
        return LOG_OVERHEAD + buffer.getInt(LENGTH_OFFSET);
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    public void setBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    /** The CRC32C of the bytes from the attributes to the end, as it should be stored. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate();
        covered.position(ATTRIBUTES_OFFSET).limit(sizeInBytes());
        crc.update(covered);
        return crc.getValue();
    }

    /** Whether size, magic and CRC are right; records are not decoded. */
    public boolean isValid() {
        return buffer.limit() >= HEADER_SIZE
                && sizeInBytes() >= HEADER_SIZE
                && sizeInBytes() <= buffer.limit()
                && magic() == MAGIC
                && checksum() == computeChecksum();
    }

    /** Checks size, magic and CRC; throws {@link InvalidRecordException} naming the first broken rule. */
    public void ensureValid() {
        if (buffer.limit() < HEADER_SIZE) {
            throw new InvalidRecordException(
                    InvalidRecordException.Reason.TRUNCATED,
                    "batch has " + buffer.limit() + " bytes, less than the " + HEADER_SIZE + "-byte header");
        }
        int size = sizeInBytes();
        if (size < HEADER_SIZE) {
            throw new InvalidRecordException(
                    InvalidRecordException.Reason.INVALID_SIZE, "batch length field says " + size + " bytes in all");
        }
        if (size > buffer.limit()) {
            throw new InvalidRecordException(
                    InvalidRecordException.Reason.TRUNCATED,
                    "batch claims " + size + " bytes but only " + buffer.limit() + " are present");
        }
        if (magic() != MAGIC) {
            throw new InvalidRecordException(
                    InvalidRecordException.Reason.INVALID_MAGIC, "magic " + magic() + " is not " + MAGIC);
        }
        long computed = computeChecksum();
        if (checksum() != computed) {
            throw new InvalidRecordException(
                    InvalidRecordException.Reason.CORRUPT_CRC,
                    "CRC32C mismatch at base offset " + baseOffset() + ": stored " + checksum() + ", computed "
                            + computed);
        }
    }

    public short attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET);
    }

    public CompressionType compressionType() {
        return CompressionType.fromAttributes(attributes());
    }

    public TimestampType timestampType() {
        return TimestampType.fromAttributes(attributes());
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_BIT) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_BIT) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    /**
     * Marks the batch as stamped by the broker: sets the timestamp-type bit and the max timestamp, which then stands
     * for every record's timestamp, and recomputes the CRC since both fields are covered by it.
     */
    public void setLogAppendTime(long timestamp) {
        short attributes = (short) (attributes() | TimestampType.ATTRIBUTE_BIT);
        buffer.putShort(ATTRIBUTES_OFFSET, attributes);
        buffer.putLong(MAX_TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(CRC_OFFSET, (int) computeChecksum());
    }

    public long producerId() {
        return buffer.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    public int baseSequence() {
        return buffer.getInt(BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record; sequences wrap from {@link Integer#MAX_VALUE} to 0, as in Kafka. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount() {
        return buffer.getInt(RECORDS_COUNT_OFFSET);
    }

    /** Decodes every record; malformed input throws {@link InvalidRecordException}. */
    public List<Record> records() {
        return RecordDecoder.decode(this);
    }

    /**
     * The records, uncompressed now (a gzip batch is inflated here, once), to be walked in place; an unsupported
     * compression throws {@link InvalidRecordException}.
     */
    public BatchRecords uncompressed() {
        return new BatchRecords(this, RecordDecoder.uncompressedRecords(this));
    }

    @Override
    public Iterator<Record> iterator() {
        return records().iterator();
    }

    /** The records section as stored (still compressed if the batch is). */
    ByteBuffer recordsSection() {
        ByteBuffer section = buffer.duplicate();
        section.position(RECORDS_OFFSET).limit(sizeInBytes());
        return section.slice();
    }

    @Override
    public String toString() {
        return "RecordBatch[baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", producerId=" + producerId() + ", baseSequence=" + baseSequence() + "]";
    }
}
