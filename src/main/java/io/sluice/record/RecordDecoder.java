package io.sluice.record;

import static io.sluice.record.InvalidRecordException.Reason.INVALID_OFFSET_DELTA;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD_COUNT;
import static io.sluice.record.InvalidRecordException.Reason.UNSUPPORTED_COMPRESSION;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * <p>{@link #visit} hands each record's fields to a visitor, key and value copied out of the batch; {@link #decode}
 * materialises {@link Record}s that way; {@link #check} walks the same bytes without allocating per record, for
 * validation on the append path. Both insist that the declared record lengths, the record count and the offset
 * deltas (0, 1, 2, … in order) agree with the bytes present. Stateless.
 */
final class RecordDecoder {

    private RecordDecoder() {}

    static List<Record> decode(RecordBatch batch) {
        List<Record> decoded = new ArrayList<>(batch.recordCount());
        visit(batch, (offset, timestamp, key, value, headers) -> {
            decoded.add(new Record(offset, timestamp, view(key), view(value), headers));
            return true;
        });
        return decoded;
    }

    /**
     * Hands every record to {@code visitor} until it says stop. The trailing-bytes check is made only when every
     * record was walked.
     */
    static void visit(RecordBatch batch, RecordVisitor visitor) {
        ByteBuffer records = uncompressedRecords(batch);
        int count = batch.recordCount();
        checkCountFitsBytes(count, records);
        long base = batch.baseOffset();
        boolean logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        for (int i = 0; i < count; i++) {
            int end = recordEnd(records, i);
            records.get(); // record attributes: unused in v2
            long timestamp = batch.baseTimestamp() + Varints.readVarlong(records);
            checkOffsetDelta(Varints.readVarint(records), i);
            byte[] key = readNullableBytes(records, "key");
            byte[] value = readNullableBytes(records, "value");
            List<Header> headers = readHeaders(records);
            checkRecordEnd(records, end, i);
            if (!visitor.record(base + i, logAppendTime ? batch.maxTimestamp() : timestamp, key, value, headers)) {
                return;
            }
        }
        checkNoTrailingBytes(records, count);
    }

    /** Validates every record's structure; returns the largest record timestamp (create time). */
    static long check(RecordBatch batch) {
        ByteBuffer records = uncompressedRecords(batch);
        int count = batch.recordCount();
        checkCountFitsBytes(count, records);
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (int i = 0; i < count; i++) {
            int end = recordEnd(records, i);
            records.get();
            maxTimestamp = Math.max(maxTimestamp, batch.baseTimestamp() + Varints.readVarlong(records));
            checkOffsetDelta(Varints.readVarint(records), i);
            skipNullableBytes(records, "key");
            skipNullableBytes(records, "value");
            int headerCount = readHeaderCount(records);
            for (int h = 0; h < headerCount; h++) {
                skipHeaderKey(records);
                skipNullableBytes(records, "header value");
            }
            checkRecordEnd(records, end, i);
        }
        checkNoTrailingBytes(records, count);
        return maxTimestamp;
    }

    private static ByteBuffer uncompressedRecords(RecordBatch batch) {
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

    private static byte[] readNullableBytes(ByteBuffer records, String what) {
        int length = nullableLength(records, what);
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        records.get(bytes);
        return bytes;
    }

    private static ByteBuffer view(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private static void skipNullableBytes(ByteBuffer records, String what) {
        int length = nullableLength(records, what);
        if (length > 0) {
            records.position(records.position() + length);
        }
    }

    private static int nullableLength(ByteBuffer records, String what) {
        int length = Varints.readVarint(records);
        if (length < -1 || length > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid " + what + " length " + length);
        }
        return length;
    }

    private static List<Header> readHeaders(ByteBuffer records) {
        int count = readHeaderCount(records);
        if (count == 0) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>(count);
        for (int h = 0; h < count; h++) {
            int keyLength = headerKeyLength(records);
            byte[] key = new byte[keyLength];
            records.get(key);
            headers.add(
                    new Header(new String(key, StandardCharsets.UTF_8), readNullableBytes(records, "header value")));
        }
        return headers;
    }

    private static int readHeaderCount(ByteBuffer records) {
        int count = Varints.readVarint(records);
        // A header takes at least 2 bytes.
        if (count < 0 || (long) count * 2 > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid header count " + count);
        }
        return count;
    }

    private static void skipHeaderKey(ByteBuffer records) {
        int length = headerKeyLength(records); // read first: it moves the position
        records.position(records.position() + length);
    }

    private static int headerKeyLength(ByteBuffer records) {
        int length = Varints.readVarint(records);
        if (length < 0 || length > records.remaining()) {
            throw new InvalidRecordException(INVALID_RECORD, "invalid header key length " + length);
        }
        return length;
    }
}
