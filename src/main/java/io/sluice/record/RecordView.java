package io.sluice.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The record a walk over a batch ({@link BatchRecords#forEach}) stands on, in place: its key, value and headers are
 * spans of {@link #buffer()} (absolute positions and lengths, length -1 for null), not copies. One view is moved from
 * record to record, so a walk allocates nothing per record; what a reader keeps past its visitor call it must copy
 * ({@link #key()}, {@link #value()}, {@link #headers()} do). Not thread-safe: one view per walk.
 */
public final class RecordView {

    /** Per header: key position, key length, value position, value length. */
    private static final int HEADER_FIELDS = 4;

    private ByteBuffer buffer;
    private TimestampType timestampType;
    private long offset;
    private long timestamp;
    private long createTimestamp;
    private int keyPosition;
    private int keyLength;
    private int valuePosition;
    private int valueLength;
    private int headerCount;
    private int[] headers = new int[HEADER_FIELDS * 4];

    /** The bytes the spans point into: the batch's records section, uncompressed. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public long offset() {
        return offset;
    }

    /** The batch's timestamp type: what {@link #timestamp()} is. */
    public TimestampType timestampType() {
        return timestampType;
    }

    /** The record's timestamp as shown: the batch's max timestamp under log-append time, else its own. */
    public long timestamp() {
        return timestamp;
    }

    public int keyPosition() {
        return keyPosition;
    }

    /** -1 when the record has no key. */
    public int keyLength() {
        return keyLength;
    }

    public int valuePosition() {
        return valuePosition;
    }

    /** -1 for a null value (a tombstone). */
    public int valueLength() {
        return valueLength;
    }

    public int headerCount() {
        return headerCount;
    }

    public int headerKeyPosition(int index) {
        return headers[index * HEADER_FIELDS];
    }

    /** Header keys are never null (UTF-8 text, as the producer sent it). */
    public int headerKeyLength(int index) {
        return headers[index * HEADER_FIELDS + 1];
    }

    public int headerValuePosition(int index) {
        return headers[index * HEADER_FIELDS + 2];
    }

    /** -1 for a null header value. */
    public int headerValueLength(int index) {
        return headers[index * HEADER_FIELDS + 3];
    }

    /** Key, value and header bytes, nulls counting 0: what Sluice's byte metrics and size limits count. */
    public long payloadBytes() {
        long bytes = Math.max(keyLength, 0) + Math.max(valueLength, 0);
        for (int h = 0; h < headerCount; h++) {
            bytes += headerKeyLength(h) + Math.max(headerValueLength(h), 0);
        }
        return bytes;
    }

    /** A copy of the key, or null. */
    public byte[] key() {
        return copy(keyPosition, keyLength);
    }

    /** A copy of the value, or null. */
    public byte[] value() {
        return copy(valuePosition, valueLength);
    }

    /** Copies of the headers, in order (malformed UTF-8 in a key decodes to replacement characters). */
    public List<Header> headers() {
        if (headerCount == 0) {
            return List.of();
        }
        List<Header> copies = new ArrayList<>(headerCount);
        for (int h = 0; h < headerCount; h++) {
            String key = new String(copy(headerKeyPosition(h), headerKeyLength(h)), StandardCharsets.UTF_8);
            copies.add(new Header(key, copy(headerValuePosition(h), headerValueLength(h))));
        }
        return copies;
    }

    /** The record's own (create) timestamp, whatever the batch's timestamp type: what validation checks. */
    long createTimestamp() {
        return createTimestamp;
    }

    void startBatch(ByteBuffer records, TimestampType timestampType) {
        this.buffer = records;
        this.timestampType = timestampType;
    }

    void moveTo(long offset, long timestamp, long createTimestamp) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.createTimestamp = createTimestamp;
        this.headerCount = 0;
    }

    void key(int position, int length) {
        keyPosition = position;
        keyLength = length;
    }

    void value(int position, int length) {
        valuePosition = position;
        valueLength = length;
    }

    void addHeader(int keyPosition, int keyLength, int valuePosition, int valueLength) {
        int at = headerCount * HEADER_FIELDS;
        if (at == headers.length) {
            headers = Arrays.copyOf(headers, headers.length * 2);
        }
        headers[at] = keyPosition;
        headers[at + 1] = keyLength;
        headers[at + 2] = valuePosition;
        headers[at + 3] = valueLength;
        headerCount++;
    }

    private byte[] copy(int position, int length) {
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(position, bytes);
        return bytes;
    }
}
