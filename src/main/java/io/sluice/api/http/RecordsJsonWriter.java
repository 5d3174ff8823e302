package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.fetch.FetchResult;
import io.sluice.record.RecordView;
import io.sluice.record.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * header values in the embedded format. Written straight from the batches the records were read in (a
 * {@link RecordView} walk): no JSON tree, no object, String or copy per record. {@code BINARY} base64-encodes the stored
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
    private static final byte[] BASE64 = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

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

    /**
     * The answer without records, shared by all of them (each gets its own indices; releasing it does nothing): every
     * long-poll that times out renders one, on the deadline timer's thread, where allocating cost a tenth of its work.
     */
    private static final ByteBuf NO_RECORDS =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(2, 2).writeBytes(ascii("[]")));

    private static final ByteBufAllocator ALLOCATOR = ByteBufAllocator.DEFAULT;
    private static final ThreadLocal<ByteSink> TEXT = ThreadLocal.withInitial(() -> new ByteSink(64 << 10));
    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ALLOCATOR);

    private final ByteSink out;
    private final EmbeddedFormat format;
    private final RecordView view = new RecordView();
    private final DecimalText offsets = new DecimalText();
    private final DecimalText timestamps = new DecimalText();
    /** The partition prefix of the records being written ({@link #prefix}). */
    private byte[] prefix;
    /** The records section being walked, and its bytes: {@code source[base + position]} is its byte at position. */
    private ByteBuffer bound;

    private byte[] source;
    private int base;
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
            return BUFFERS.wrap(writer.records == 0 ? NO_RECORDS.duplicate() : writer.finish());
        } catch (RuntimeException e) {
            writer.releasePieces();
            throw e;
        } finally {
            if (text.array().length > KEPT_TEXT) {
                TEXT.remove();
            }
        }
    }

    /** Writes every record of {@code result}, straight from the batches it was read in. */
    void append(FetchResult result) {
        prefix = prefix(result.topic(), result.partition());
        result.records().forEach(view, this::writeRecord);
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

    private boolean writeRecord(RecordView record) {
        if (records++ > 0) {
            out.write(',');
        }
        bind(record.buffer());
        long offset = record.offset();
        out.write(prefix);
        offsets.write(out, offset);
        out.write(TIMESTAMP);
        timestamps.write(out, record.timestamp());
        out.write(record.timestampType() == TimestampType.LOG_APPEND_TIME ? APPEND_TIME : CREATE_TIME);
        writeEmbedded(record.keyPosition(), record.keyLength(), offset, "key");
        out.write(VALUE);
        writeEmbedded(record.valuePosition(), record.valueLength(), offset, "value");
        out.write(HEADERS);
        for (int h = 0; h < record.headerCount(); h++) {
            if (h > 0) {
                out.write(',');
            }
            out.write(HEADER_KEY);
            writeHeaderKey(record.headerKeyPosition(h), record.headerKeyLength(h));
            out.write(VALUE);
            writeHeaderValue(record.headerValuePosition(h), record.headerValueLength(h), offset);
            out.write('}');
        }
        out.write(']');
        out.write('}');
        if (out.size() >= PIECE) {
            sendPiece();
        }
        return true;
    }

    /**
     * Points {@link #source} at the bytes of {@code buffer}, the records section a walk is in: its own array when it
     * has one (the read's heap buffer: no copy), else a copy made once per batch.
     */
    private void bind(ByteBuffer buffer) {
        if (buffer == bound) {
            return;
        }
        bound = buffer;
        if (buffer.hasArray()) {
            source = buffer.array();
            base = buffer.arrayOffset();
        } else {
            source = new byte[buffer.limit()];
            buffer.get(0, source);
            base = 0;
        }
    }

    private void writeEmbedded(int position, int length, long offset, String what) {
        if (length < 0) {
            out.write(NULL);
            return;
        }
        int from = base + position;
        switch (format) {
            case BINARY -> writeBase64(from, length);
            case TEXT -> writeText(from, length, offset, what);
            case JSON -> writeJson(from, length, offset, what);
        }
    }

    /** Header keys are text; one that is not UTF-8 shows with replacement characters, as a String would have it. */
    private void writeHeaderKey(int position, int length) {
        int from = base + position;
        if (JsonText.writeString(out, source, from, length) == JsonText.MALFORMED) {
            byte[] replaced = new String(source, from, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            JsonText.writeString(out, replaced, 0, replaced.length);
        }
    }

    private void writeHeaderValue(int position, int length, long offset) {
        if (length < 0) {
            out.write(NULL);
        } else if (format == EmbeddedFormat.BINARY) {
            writeBase64(base + position, length);
        } else {
            writeText(base + position, length, offset, "a header");
        }
    }

    private void writeText(int from, int length, long offset, String what) {
        if (JsonText.writeString(out, source, from, length) == JsonText.MALFORMED) {
            throw EmbeddedFormat.notShowable(offset, what, "is not UTF-8 text");
        }
    }

    private void writeJson(int from, int length, long offset, String what) {
        int end = from + length;
        if (isPlainAsciiString(source, from, end)) {
            out.write(source, from, length); // the common case, checked in one pass
            return;
        }
        int start = startsWith(source, from, end, UTF8_BOM) ? from + UTF8_BOM.length : from;
        // UTF-8 without NUL bytes, so the parser cannot take it for UTF-16/32 and the copy is UTF-8 JSON text
        if (!JsonText.isUtf8(source, from, end, false) || !isOneJsonValue(source, start, end)) {
            throw EmbeddedFormat.notShowable(offset, what, "is not JSON");
        }
        out.write(source, start, end - start);
    }

    /** {@code "<base64>"}, encoded straight into the sink. */
    private void writeBase64(int from, int length) {
        byte[] target = out.reserve(4 * ((length + 2) / 3) + 2);
        int at = out.size();
        target[at++] = '"';
        int whole = from + length - length % 3;
        int i = from;
        for (; i < whole; i += 3) {
            int bits = (source[i] & 0xff) << 16 | (source[i + 1] & 0xff) << 8 | (source[i + 2] & 0xff);
            target[at++] = BASE64[bits >>> 18];
            target[at++] = BASE64[(bits >>> 12) & 0x3f];
            target[at++] = BASE64[(bits >>> 6) & 0x3f];
            target[at++] = BASE64[bits & 0x3f];
        }
        int rest = from + length - i;
        if (rest > 0) {
            int bits = (source[i] & 0xff) << 16 | (rest == 2 ? (source[i + 1] & 0xff) << 8 : 0);
            target[at++] = BASE64[bits >>> 18];
            target[at++] = BASE64[(bits >>> 12) & 0x3f];
            target[at++] = rest == 2 ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
            target[at++] = '=';
        }
        target[at++] = '"';
        out.advance(at - out.size());
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

    private static boolean isOneJsonValue(byte[] bytes, int start, int end) {
        if (end == start) {
            return false;
        }
        if (isPlainString(bytes, start, end)) {
            return true; // the common case, without the cost of a parser per record
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes, start, end - start)) {
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
     * {@code bytes[from, end)} is one JSON string of printable ASCII without escapes ({@code "..."}, nothing after it):
     * JSON text, and UTF-8 with no NUL, so it passes every check {@link #writeJson} makes; false means "check it the
     * long way".
     */
    private static boolean isPlainAsciiString(byte[] bytes, int from, int end) {
        int last = end - 1;
        return last > from
                && bytes[from] == '"'
                && bytes[last] == '"'
                && ByteScan.indexOfStringSpecial(bytes, from + 1, last) < 0;
    }

    /**
     * {@code bytes[start, end)} is one JSON string without escapes or control characters ({@code "..."}, nothing after
     * it): valid JSON whatever else it holds, given UTF-8 text. False means "ask the parser", not "not JSON".
     */
    private static boolean isPlainString(byte[] bytes, int start, int end) {
        int last = end - 1;
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

    private static boolean startsWith(byte[] bytes, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
