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
 * <p>The text is written into a heap array kept per thread and copied into Netty's memory once, a piece of about
 * {@value #PIECE} bytes at a time: the many small writes of a record (numbers, field names, quotes) are plain array
 * stores there, where each small write into a direct Netty buffer cost a bounds check and a copy call of its own (6.5 %
 * of a JSON read's server CPU). Pieces, because Netty's adaptive allocator pools nothing over 1 MiB (a bigger buffer
 * would be allocated, zeroed and freed for every answer) and so that the array kept per thread stays small.
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

    /**
     * The text goes to Netty in pieces of about this size (a record never straddles two). Netty's adaptive allocator,
     * its default, pools buffers up to 1 MiB; and the array kept per thread stays near this size, whatever the answer's.
     */
    private static final int PIECE = 512 << 10;

    /**
     * A thread's text array is kept for its next answer up to this size; one grown bigger (by a record larger than a
     * piece) is left to the collector. Answers are rendered on the storage threads, so the arrays kept take at most
     * this times their number (16 MiB with the default 16).
     */
    private static final int KEPT_TEXT = 1 << 20;

    private static final ByteBufAllocator ALLOCATOR = ByteBufAllocator.DEFAULT;
    private static final ThreadLocal<ByteSink> TEXT = ThreadLocal.withInitial(() -> new ByteSink(64 << 10));
    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ALLOCATOR);

    private final ByteSink out;
    private final EmbeddedFormat format;
    /** Where base64 is encoded before it is copied; made when first needed (an empty answer needs none). */
    private byte[] scratch = new byte[0];
    /** The pieces sent to Netty memory so far; null while the answer fits one. */
    private CompositeByteBuf pieces;

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
        RecordsJsonWriter writer = new RecordsJsonWriter(text, format);
        try {
            for (FetchResult result : results) {
                writer.append(result);
            }
            return BUFFERS.wrap(writer.finish());
        } catch (RuntimeException e) {
            writer.releasePieces();
            throw e;
        } finally {
            if (text.array().length > KEPT_TEXT) {
                TEXT.remove();
            }
        }
    }

    /** Writes every record of {@code result}. */
    void append(FetchResult result) {
        byte[] prefix = prefix(result.topic(), result.partition());
        for (FetchedRecord record : result.records()) {
            if (records++ > 0) {
                out.write(',');
            }
            writeRecord(prefix, record);
            if (out.size() >= PIECE) {
                sendPiece();
            }
        }
    }

    /** Closes the array; returns the whole text in Netty memory, one buffer or the pieces in order. */
    ByteBuf finish() {
        out.write(']');
        if (pieces == null) {
            return copyOfText();
        }
        sendPiece();
        return pieces;
    }

    /** Moves the text written so far into a pooled buffer among the pieces, making room in the array. */
    private void sendPiece() {
        if (pieces == null) {
            pieces = ALLOCATOR.compositeBuffer(Integer.MAX_VALUE); // never consolidated: that would copy it all
        }
        pieces.addComponent(true, copyOfText());
        out.reset();
    }

    private ByteBuf copyOfText() {
        return ALLOCATOR.buffer(out.size()).writeBytes(out.array(), 0, out.size());
    }

    /** Frees what an answer that failed had already moved to Netty memory. */
    private void releasePieces() {
        if (pieces != null) {
            pieces.release();
        }
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
