package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
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
 * Renders the body of every read answer (the partition read and the consumer-instance read): a JSON array with one
 * object per record, {@code topic, partition, offset, timestamp, timestamp_type, key, value, headers}, keys, values and
 * header values in the embedded format. No JSON tree and no String per record: {@code BINARY} base64-encodes the stored
 * bytes into the buffer, {@code TEXT} checks and escapes the stored UTF-8, {@code JSON} checks that the stored bytes
 * are one JSON value and copies them as they are (they are JSON text already). Bytes a format cannot show fail the
 * whole answer with 406 naming the offset, as {@link EmbeddedFormat#notShowable} describes.
 *
 * <p>The text is written into a heap array kept per thread and copied into Netty's memory once at the end: the many
 * small writes of a record (numbers, field names, quotes) are plain array stores there, where each small write into a
 * direct Netty buffer cost a bounds check and a copy call of its own (6.5 % of a JSON read's server CPU). The copy goes
 * into pieces of at most {@value #PIECE} bytes because Netty's adaptive allocator pools nothing bigger: a larger buffer
 * would be allocated, zeroed and freed for every answer.
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

    /** The largest buffer Netty's adaptive allocator (its default) hands out of its pools. */
    private static final int PIECE = 1 << 20;

    /**
     * A thread's text array is kept for its next answer up to this size; a bigger one is left to the collector. Answers
     * are rendered on the storage threads, so the arrays kept take at most this times their number (64 MiB with the
     * default 16): answers of the default 1 MB of 100-byte records (about 2.1 MB of JSON) grow an array to 4 MiB.
     */
    private static final int KEPT_TEXT = 4 << 20;

    private static final ThreadLocal<ByteSink> TEXT = ThreadLocal.withInitial(() -> new ByteSink(64 << 10));
    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    private final ByteSink out;
    private final EmbeddedFormat format;
    /** Where base64 is encoded before it is copied; made when first needed (an empty answer needs none). */
    private byte[] scratch = new byte[0];

    private int records;

    RecordsJsonWriter(ByteSink out, EmbeddedFormat format) {
        this.out = out;
        this.format = format;
        out.write('[');
    }

    /** The whole answer for {@code results} in pooled Netty memory, wrapped for WebFlux (which frees it once sent). */
    static DataBuffer render(List<FetchResult> results, EmbeddedFormat format) {
        ByteSink text = TEXT.get();
        text.reset();
        try {
            RecordsJsonWriter writer = new RecordsJsonWriter(text, format);
            for (FetchResult result : results) {
                writer.append(result);
            }
            writer.finish();
            return BUFFERS.wrap(copyToNetty(text));
        } finally {
            if (text.array().length > KEPT_TEXT) {
                TEXT.remove();
            }
        }
    }

    /** {@code text} in one pooled buffer, or in pooled pieces of {@value #PIECE} bytes when it is bigger. */
    private static ByteBuf copyToNetty(ByteSink text) {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        int size = text.size();
        if (size <= PIECE) {
            return allocator.buffer(size).writeBytes(text.array(), 0, size);
        }
        CompositeByteBuf pieces = allocator.compositeBuffer((size + PIECE - 1) / PIECE);
        for (int at = 0; at < size; at += PIECE) {
            int length = Math.min(PIECE, size - at);
            pieces.addComponent(true, allocator.buffer(length).writeBytes(text.array(), at, length));
        }
        return pieces;
    }

    /** Writes every record of {@code result}. */
    void append(FetchResult result) {
        byte[] prefix = prefix(result.topic(), result.partition());
        for (FetchedRecord record : result.records()) {
            if (records++ > 0) {
                out.write(',');
            }
            writeRecord(prefix, record);
        }
    }

    /** Closes the array. */
    void finish() {
        out.write(']');
    }

    /** Records written so far. */
    int records() {
        return records;
    }

    private void writeRecord(byte[] prefix, FetchedRecord record) {
        out.write(prefix);
        out.writeDecimal(record.offset());
        out.write(TIMESTAMP);
        out.writeDecimal(record.timestamp());
        out.write(record.timestampType() == TimestampType.LOG_APPEND_TIME ? APPEND_TIME : CREATE_TIME);
        writeEmbedded(record.key(), record.offset(), "key");
        out.write(VALUE);
        writeEmbedded(record.value(), record.offset(), "value");
        out.write(HEADERS);
        boolean first = true;
        for (Header header : record.headers()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(HEADER_KEY);
            JsonText.writeString(out, header.key().getBytes(StandardCharsets.UTF_8));
            out.write(VALUE);
            writeHeaderValue(header.value(), record.offset());
            out.write('}');
        }
        out.write(']');
        out.write('}');
    }

    private void writeEmbedded(byte[] bytes, long offset, String what) {
        if (bytes == null) {
            out.write(NULL);
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
            out.write(NULL);
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
        if (isPlainAsciiString(bytes)) {
            out.write(bytes); // the common case, checked in one pass
            return;
        }
        int start = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
        // UTF-8 without NUL bytes, so the parser cannot take it for UTF-16/32 and the copy is UTF-8 JSON text
        if (!JsonText.isUtf8(bytes, false) || !isOneJsonValue(bytes, start)) {
            throw EmbeddedFormat.notShowable(offset, what, "is not JSON");
        }
        out.write(bytes, start, bytes.length - start);
    }

    private void writeBase64(byte[] bytes) {
        int length = 4 * ((bytes.length + 2) / 3);
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        int written = Base64.getEncoder().encode(bytes, scratch);
        out.write('"');
        out.write(scratch, 0, written);
        out.write('"');
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
     * One JSON string of printable ASCII without escapes ({@code "..."}, nothing after it): JSON text, and UTF-8 with
     * no NUL, so it passes every check {@link #writeJson} makes; false means "check it the long way".
     */
    private static boolean isPlainAsciiString(byte[] bytes) {
        int last = bytes.length - 1;
        return last > 0 && bytes[0] == '"' && bytes[last] == '"' && ByteScan.indexOfStringSpecial(bytes, 1, last) < 0;
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
