package io.sluice.record;

import static io.sluice.record.InvalidRecordException.Reason.INVALID_OFFSET_DELTA;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD_COUNT;
import static io.sluice.record.InvalidRecordException.Reason.UNSUPPORTED_COMPRESSION;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of a batch. Each record is laid out as
 *
 * <pre>
 *  length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *  keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value |
 *  headerCount varint | headers: keyLength varint, key (UTF-8), valueLength varint (-1 = null), value
 * </pre>
 *
 * <p>{@link #walk} moves a {@link RecordView} over the records in place, allocating nothing per record; {@link #decode}
 * materialises {@link Record}s from it and {@link #check} validates with it on the append path. The walk insists that
 * the declared record lengths, the record count and the offset deltas (0, 1, 2, … in order) agree with the bytes
 * present. Stateless.
 */
final class RecordDecoder {

    private RecordDecoder() {}

    static List<Record> decode(RecordBatch batch) {
        List<Record> decoded = new ArrayList<>(batch.recordCount());
        walk(batch, uncompressedRecords(batch), new RecordView(), record -> {
            decoded.add(new Record(
                    record.offset(), record.timestamp(), view(record.key()), view(record.value()), record.headers()));
            return true;
        });
        return decoded;
    }

    /** Validates every record's structure; returns the largest record timestamp (create time). */
    static long check(RecordBatch batch) {
        long[] maxTimestamp = {RecordBatch.NO_TIMESTAMP};
        walk(batch, uncompressedRecords(batch), new RecordView(), record -> {
            maxTimestamp[0] = Math.max(maxTimestamp[0], record.createTimestamp());
            return true;
        });
        return maxTimestamp[0];
    }

    /**
     * Moves {@code view} over the records in {@code records} (the batch's records section, uncompressed; read from its
     * position on) until {@code visitor} says stop; returns whether every record was walked. The trailing-bytes check
     * is made only then.
     */
    static boolean walk(RecordBatch batch, ByteBuffer records, RecordView view, RecordVisitor visitor) {
        int count = batch.recordCount();
        checkCountFitsBytes(count, records);
        long base = batch.baseOffset();
        long baseTimestamp = batch.baseTimestamp();
        TimestampType type = batch.timestampType();
        boolean logAppendTime = type == TimestampType.LOG_APPEND_TIME;
        long appendTime = batch.maxTimestamp();
        view.startBatch(records, type);
        for (int i = 0; i < count; i++) {
            int end = recordEnd(records, i);
            records.get(); // record attributes: unused in v2
            long timestamp = baseTimestamp + Varints.readVarlong(records);
            checkOffsetDelta(Varints.readVarint(records), i);
            view.moveTo(base + i, logAppendTime ? appendTime : timestamp, timestamp);
            int keyLength = nullableLength(records, "key");
            view.key(records.position(), keyLength);
            skip(records, keyLength);
            int valueLength = nullableLength(records, "value");
            view.value(records.position(), valueLength);
            skip(records, valueLength);
            int headerCount = readHeaderCount(records);
            for (int h = 0; h < headerCount; h++) {
                int headerKeyLength = headerKeyLength(records);
                int headerKeyPosition = records.position();
                skip(records, headerKeyLength);
                int headerValueLength = nullableLength(records, "header value");
                view.addHeader(headerKeyPosition, headerKeyLength, records.position(), headerValueLength);
                skip(records, headerValueLength);
            }
            checkRecordEnd(records, end, i);
            if (!visitor.record(view)) {
                return false;
            }
        }
        checkNoTrailingBytes(records, count);
        return true;
    }

    /** The records section without compression: the stored bytes themselves (no copy) when uncompressed. */
    static ByteBuffer uncompressedRecords(RecordBatch batch) {
        CompressionType compression = batch.compressionType();
        return switch (compression) {
            case NONE -> batch.recordsSection();
            case GZIP -> GzipCodec.decompress(batch.recordsSection());
            default ->
                throw new InvalidRecordException(
                        UNSUPPORTED_COMPRESSION, "compression " + compression + " is not supported; use none or gzip");
        };
    }

    private static void checkCountFitsBytes(int count, ByteBuffer records) {
        // Every record takes at least 7 bytes, so a count beyond that is a lie we can refuse before allocating.
        if (count < 0 || (long) count * 7 > records.remaining()) {
            throw new InvalidRecordException(
                    INVALID_RECORD_COUNT,
                    "record count " + count + " does not fit in " + records.remaining() + " bytes");
        }
    }

    private static int recordEnd(ByteBuffer records, int index) {
        if (!records.hasRemaining()) {
            throw new InvalidRecordException(
                    INVALID_RECORD_COUNT, "the header announces more records than the " + index + " present");
        }
        int length = Varints.readVarint(records);
        if (length < 0 || length > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "record " + index + " has invalid length " + length);
        }
        return records.position() + length;
    }

    private static void checkOffsetDelta(int delta, int index) {
        if (delta != index) {
            throw new InvalidRecordException(
                    INVALID_OFFSET_DELTA, "record " + index + " has offset delta " + delta + ", expected " + index);
        }
    }

    private static void checkRecordEnd(ByteBuffer records, int end, int index) {
        if (records.position() != end) {
            throw new InvalidRecordException(
                    INVALID_RECORD, "record " + index + " content does not match its declared length");
        }
    }

    private static void checkNoTrailingBytes(ByteBuffer records, int count) {
        if (records.hasRemaining()) {
            throw new InvalidRecordException(
                    INVALID_RECORD_COUNT,
                    records.remaining() + " bytes follow the " + count + " records the header announces");
        }
    }

    private static void skip(ByteBuffer records, int length) {
        if (length > 0) {
            records.position(records.position() + length);
        }
    }

    private static ByteBuffer view(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private static int nullableLength(ByteBuffer records, String what) {
        int length = Varints.readVarint(records);
        if (length < -1 || length > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid " + what + " length " + length);
        }
        return length;
    }

    private static int readHeaderCount(ByteBuffer records) {
        int count = Varints.readVarint(records);
        // A header takes at least 2 bytes.
        if (count < 0 || (long) count * 2 > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid header count " + count);
        }
        return count;
    }

    private static int headerKeyLength(ByteBuffer records) {
        int length = Varints.readVarint(records);
        if (length < 0 || length > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid header key length " + length);
        }
        return length;
    }
}
