package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.fetch.FetchResult;
import io.sluice.fetch.FetchedRecord;
import io.sluice.record.Header;
import io.sluice.record.TimestampType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Streams the body of every read answer (the partition read and the consumer-instance read) straight into a Netty
 * buffer: a JSON array with one object per record, {@code topic, partition, offset, timestamp, timestamp_type, key,
 * value, headers}, keys, values and header values in the embedded format. No JSON tree and no String per record:
 * {@code BINARY} base64-encodes the stored bytes into the buffer, {@code TEXT} checks and escapes the stored UTF-8,
 * {@code JSON} checks that the stored bytes are one JSON value and copies them as they are (they are JSON text
 * already). Bytes a format cannot show fail the whole answer with 406 naming the offset, as
 * {@link EmbeddedFormat#notShowable} describes; the caller then releases the buffer.
 *
 * <p>Use: construct (writes {@code [}), {@link #append} each partition's result, {@link #finish} (writes {@code ]}).
 * Not thread-safe; one writer per answer.
 */
final class RecordsJsonWriter {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NULL = ascii("null");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] CREATE_TIME = ascii(",\"timestamp_type\":\"CreateTime\",\"key\":");
    private static final byte[] APPEND_TIME = ascii(",\"timestamp_type\":\"LogAppendTime\",\"key\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] HEADERS = ascii(",\"headers\":[");
    private static final byte[] HEADER_KEY = ascii("{\"key\":");
    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    /** Bytes of a record's object besides its topic, key and value (field names, numbers, punctuation). */
    private static final int RECORD_OVERHEAD = 120;

    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    private final ByteBuf out;
    private final EmbeddedFormat format;
    private final byte[] digits = new byte[20];
    private byte[] scratch = new byte[512];
    private int records;

    RecordsJsonWriter(ByteBuf out, EmbeddedFormat format) {
        this.out = out;
        this.format = format;
        out.writeByte('[');
    }

    /**
     * The whole answer for {@code results} in one pooled buffer, wrapped for WebFlux (which releases it once
     * written); the buffer is released here if rendering fails.
     */
    static DataBuffer render(List<FetchResult> results, EmbeddedFormat format) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(estimatedSize(results, format));
        if (noRecords(results)) { // the idle long-poll's answer: no writer and scratch space for it
            return BUFFERS.wrap(buffer.writeByte('[').writeByte(']'));
        }
        try {
            RecordsJsonWriter writer = new RecordsJsonWriter(buffer, format);
            for (FetchResult result : results) {
                writer.append(result);
            }
            return BUFFERS.wrap(writer.finish());
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    private static boolean noRecords(List<FetchResult> results) {
        for (FetchResult result : results) {
            if (!result.records().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Writes every record of {@code result}. */
    void append(FetchResult result) {
        byte[] prefix = prefix(result.topic(), result.partition());
        for (FetchedRecord record : result.records()) {
            if (records++ > 0) {
                out.writeByte(',');
            }
            writeRecord(prefix, record);
        }
    }

    /** Closes the array; returns the buffer holding the whole body. */
    ByteBuf finish() {
        out.writeByte(']');
        return out;
    }

    /** Records written so far. */
    int records() {
        return records;
    }

    private void writeRecord(byte[] prefix, FetchedRecord record) {
        out.writeBytes(prefix);
        JsonText.writeLong(out, record.offset(), digits);
        out.writeBytes(TIMESTAMP);
        JsonText.writeLong(out, record.timestamp(), digits);
        out.writeBytes(record.timestampType() == TimestampType.LOG_APPEND_TIME ? APPEND_TIME : CREATE_TIME);
        writeEmbedded(record.key(), record.offset(), "key");
        out.writeBytes(VALUE);
        writeEmbedded(record.value(), record.offset(), "value");
        out.writeBytes(HEADERS);
        boolean first = true;
        for (Header header : record.headers()) {
            if (!first) {
                out.writeByte(',');
            }
            first = false;
            out.writeBytes(HEADER_KEY);
            JsonText.writeString(out, header.key().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(VALUE);
            writeHeaderValue(header.value(), record.offset());
            out.writeByte('}');
        }
        out.writeByte(']');
        out.writeByte('}');
    }

    private void writeEmbedded(byte[] bytes, long offset, String what) {
        if (bytes == null) {
            out.writeBytes(NULL);
            return;
        }
        switch (format) {
            case BINARY -> writeBase64(bytes);
            case TEXT -> writeText(bytes, offset, what);
            case JSON -> writeJson(bytes, offset, what);
        }
    }

    private void writeHeaderValue(byte[] bytes, long offset) {
        if (bytes == null) {
            out.writeBytes(NULL);
        } else if (format == EmbeddedFormat.BINARY) {
            writeBase64(bytes);
        } else {
            writeText(bytes, offset, "a header");
        }
    }

    private void writeText(byte[] bytes, long offset, String what) {
        if (JsonText.writeString(out, bytes) == JsonText.MALFORMED) {
            throw EmbeddedFormat.notShowable(offset, what, "is not UTF-8 text");
        }
    }

    private void writeJson(byte[] bytes, long offset, String what) {
        int start = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
        // UTF-8 without NUL bytes, so the parser cannot take it for UTF-16/32 and the copy is UTF-8 JSON text
        if (!JsonText.isUtf8(bytes, false) || !isOneJsonValue(bytes, start)) {
            throw EmbeddedFormat.notShowable(offset, what, "is not JSON");
        }
        out.writeBytes(bytes, start, bytes.length - start);
    }

    private void writeBase64(byte[] bytes) {
        int length = 4 * ((bytes.length + 2) / 3);
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        int written = Base64.getEncoder().encode(bytes, scratch);
        out.writeByte('"');
        out.writeBytes(scratch, 0, written);
        out.writeByte('"');
    }

    /** {@code {"topic":"<topic>","partition":<p>,"offset":}, the same for every record of a partition. */
    private static byte[] prefix(String topic, int partition) {
        StringBuilder text = new StringBuilder(topic.length() + 48).append("{\"topic\":");
        text.append('"');
        for (char c : topic.toCharArray()) {
            // topic names are [a-zA-Z0-9._-], but the writer must stay valid JSON for any name
            if (c == '"' || c == '\\' || c < 0x20) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        text.append("\",\"partition\":").append(partition).append(",\"offset\":");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int estimatedSize(List<FetchResult> results, EmbeddedFormat format) {
        long size = 2;
        for (FetchResult result : results) {
            for (FetchedRecord record : result.records()) {
                long payload = (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
                size += RECORD_OVERHEAD
                        + result.topic().length()
                        + (format == EmbeddedFormat.BINARY ? payload * 4 / 3 + 8 : payload);
            }
        }
        return (int) Math.min(size, 1 << 30);
    }

    private static boolean isOneJsonValue(byte[] bytes, int start) {
        if (bytes.length == start) {
            return false;
        }
        if (isPlainString(bytes, start)) {
            return true; // the common case, without the cost of a parser per record
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes, start, bytes.length - start)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (JacksonException e) {
            return false;
        }
    }

    /**
     * One JSON string without escapes or control characters ({@code "..."}, nothing after it): valid JSON whatever
     * else it holds, given UTF-8 text. False means "ask the parser", not "not JSON".
     */
    private static boolean isPlainString(byte[] bytes, int start) {
        int last = bytes.length - 1;
        if (last <= start || bytes[start] != '"' || bytes[last] != '"') {
            return false;
        }
        for (int i = start + 1; i < last; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
