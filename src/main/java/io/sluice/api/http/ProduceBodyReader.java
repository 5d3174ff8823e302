package io.sluice.api.http;

import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRequest;
import io.sluice.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.base.ParserBase;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Reads produce bodies token by token, straight into a {@link ProduceRequest}: {@code {"records":[...]}} bodies and
 * runs of NDJSON record lines (the record shape of {@link ProduceBodies}). No tree and no object per record: each
 * record's key and value are written into one reused scratch buffer (JSON values re-encoded compactly by a streaming
 * generator, base64 decoded in place, text as UTF-8) and handed to the request as slices, which copies them into its
 * batch.
 *
 * <p>Only what is certainly valid is read here. Anything else, whether a syntax error, a field error, a record the
 * request cannot place, or a case whose stored bytes only the tree can settle (repeated fields, objects, arrays,
 * floats and big numbers inside values), makes a read return {@code false}; the caller then lets {@link
 * ProduceBodies} parse the same bytes, which gives the exact answer (the error naming the problem, or the same
 * records). Errors are rare, so the tree path costs nothing in the common case. One instance per request or stream;
 * not thread-safe.
 */
final class ProduceBodyReader {

    private static final int KEY = 1;
    private static final int VALUE = 2;
    private static final int PARTITION = 4;
    private static final int HEADERS = 8;
    private static final int TIMESTAMP = 16;

    /** Thrown to leave a read that cannot be finished here; carries no stack trace. */
    private static final RuntimeException NOT_HERE =
            new RuntimeException("left to the tree parser", null, false, false) {};

    private final ObjectMapper mapper;
    private final ObjectWriter compact;
    private final ObjectReader subtree;
    private final ByteSink scratch = new ByteSink(1024);
    private final Base64Into base64 = new Base64Into();
    private JsonGenerator generator;

    // the bytes the current parser reads, for copying plain strings as they are (see rawString)
    private byte[] input;
    private int inputStart;
    private int inputEnd;
    private int rawStringLength;
    private final boolean printableAsIs;

    // the record last read by readRecord: key and value are slices of the scratch buffer (length -1: null)
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private int partition;
    private long timestamp;
    private List<Header> headers;

    ProduceBodyReader(ObjectMapper mapper) {
        this.mapper = mapper;
        // closing the generator only returns its buffers: the scratch buffer stays open, and a value cut short by a
        // failure is not completed with closing brackets (the read is left to the tree anyway)
        this.compact = mapper.writer()
                .withRootValueSeparator("")
                .without(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .without(StreamWriteFeature.AUTO_CLOSE_CONTENT);
        // a value inside the body is read as a tree with the parser left on its last token, more tokens following
        this.subtree = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.printableAsIs = writesPrintableAsIs(mapper);
    }

    /** Reads a whole {@code {"records":[...]}} body; false if it must be left to {@link ProduceBodies}. */
    boolean readRequest(byte[] body, EmbeddedFormat format, ProduceRequest target) {
        return read(body, 0, body.length, parser -> {
            boolean records = false;
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                if (parser.nextToken() == null) {
                    return false;
                }
                if (!name.equals("records")) {
                    parser.skipChildren();
                } else if (records || !readRecords(parser, format, target)) {
                    return false;
                } else {
                    records = true;
                }
            }
            return records && parser.nextToken() == null;
        });
    }

    /**
     * Reads NDJSON lines {@code from, from + 1, ...} (below {@code to}; line {@code i} is {@code data[starts[i],
     * ends[i])}), each one record object (json format), with one parser for all of them, adding each record to the
     * request and noting its index in {@code recordOf[i]} (-1 for a line of JSON whitespace). Stops at the first line
     * it cannot take and returns that line's index, having added nothing of it; returns {@code to} when it took them
     * all. Lines it leaves are those the tree must settle: errors, rare shapes, bytes beyond ASCII (read as decoded
     * text, malformed sequences replaced, as the stream has always been read) and lines that are blank by {@link
     * String#isBlank()} but not JSON whitespace.
     *
     * <p>One parser runs over the lines as over a sequence of root values, so each record must be checked to lie
     * within its own line: the parser's row (it counts {@code '\n'}, {@code '\r\n'} and a lone {@code '\r'}) must
     * be the line's, and only JSON whitespace may follow the object up to the newline. Anything else is left to the
     * caller, who restarts after that line.
     */
    int readLines(byte[] data, int[] starts, int[] ends, int from, int to, ProduceRequest target, int[] recordOf) {
        if (from >= to) {
            return to;
        }
        int i = from;
        input(data, starts[from], ends[to - 1]);
        try (JsonParser parser = mapper.createParser(data, starts[from], ends[to - 1] - starts[from])) {
            for (; i < to; i++) {
                int start = starts[i];
                int end = ends[i];
                if (jsonBlank(data, start, end)) {
                    recordOf[i] = -1;
                    continue;
                }
                if (!ByteScan.isAscii(data, start, end) || parser.nextToken() != JsonToken.START_OBJECT) {
                    return i;
                }
                readRecord(parser, EmbeddedFormat.JSON);
                TokenStreamLocation after = parser.currentLocation();
                // the object ends on this line's row, and only whitespace follows it on the line
                if (after.getLineNr() != i - from + 1 || !jsonBlank(data, start + after.getColumnNr() - 1, end)) {
                    return i;
                }
                addRecord(target);
                recordOf[i] = target.count() - 1;
            }
            return to;
        } catch (JacksonException | SluiceException | IllegalArgumentException e) {
            return i;
        } catch (RuntimeException e) {
            if (e == NOT_HERE) {
                return i;
            }
            throw e;
        } finally {
            releaseGenerator();
        }
    }

    /**
     * Whether {@code data[from, to)} is only JSON whitespace within a line (space, tab, carriage return); false when
     * {@code from} is past {@code to}.
     */
    private static boolean jsonBlank(byte[] data, int from, int to) {
        if (from > to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            byte b = data[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code object} on a parser standing on the input's opening brace; false for anything left to the tree. */
    private boolean read(byte[] data, int offset, int length, Predicate<JsonParser> object) {
        input(data, offset, offset + length);
        try (JsonParser parser = mapper.createParser(data, offset, length)) {
            return parser.nextToken() == JsonToken.START_OBJECT && object.test(parser);
        } catch (JacksonException | SluiceException | IllegalArgumentException e) {
            return false;
        } catch (RuntimeException e) {
            if (e == NOT_HERE) {
                return false;
            }
            throw e;
        } finally {
            releaseGenerator();
        }
    }

    private boolean readRecords(JsonParser parser, EmbeddedFormat format, ProduceRequest target) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return false;
        }
        int before = target.count();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                return false;
            }
            readRecord(parser, format);
            addRecord(target);
        }
        return target.count() > before;
    }

    /** Reads the record object the parser is on, up to its END_OBJECT, into the fields below. */
    private void readRecord(JsonParser parser, EmbeddedFormat format) {
        scratch.reset();
        int seen = 0;
        keyLength = -1;
        valueLength = -1;
        partition = ProduceRequest.NONE;
        timestamp = ProduceRequest.NONE;
        headers = List.of();
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken token = parser.nextToken();
            int field = field(name);
            if ((seen & field) != 0) {
                throw NOT_HERE;
            }
            seen |= field;
            switch (field) {
                case KEY -> {
                    keyOffset = scratch.size();
                    keyLength = embed(parser, token, format);
                }
                case VALUE -> {
                    valueOffset = scratch.size();
                    valueLength = embed(parser, token, format);
                }
                case PARTITION -> partition = partition(parser, token);
                case TIMESTAMP -> timestamp = timestamp(parser, token);
                default -> headers = ProduceBodies.headers(subtree.readTree(parser), format, "headers");
            }
        }
    }

    private void addRecord(ProduceRequest target) {
        byte[] bytes = scratch.array();
        target.add(bytes, keyOffset, keyLength, bytes, valueOffset, valueLength, partition, headers, timestamp);
    }

    private static int field(String name) {
        return switch (name) {
            case "key" -> KEY;
            case "value" -> VALUE;
            case "partition" -> PARTITION;
            case "headers" -> HEADERS;
            case "timestamp" -> TIMESTAMP;
            default -> throw NOT_HERE;
        };
    }

    /** Writes the stored bytes of a key or value into the scratch buffer; their length, or -1 for null. */
    private int embed(JsonParser parser, JsonToken token, EmbeddedFormat format) {
        if (token == JsonToken.VALUE_NULL) {
            return -1;
        }
        int start = scratch.size();
        switch (format) {
            case JSON -> json(parser, token);
            case BINARY -> {
                requireString(token);
                base64.decode(
                        parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength(), scratch);
            }
            case TEXT -> {
                requireString(token);
                int quote = rawString(parser);
                if (quote >= 0) { // the content between the quotes is its UTF-8
                    scratch.write(input, quote + 1, rawStringLength - 2);
                } else {
                    byte[] utf8 = parser.getString().getBytes(StandardCharsets.UTF_8);
                    scratch.write(utf8, 0, utf8.length);
                }
            }
        }
        return scratch.size() - start;
    }

    /** Compact JSON text of a value, as the tree would write it; structures and non-plain numbers via the tree. */
    private void json(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_STRING) {
            int quote = rawString(parser);
            if (quote >= 0) { // the generator would write these very bytes (it holds none: flushed after each value)
                scratch.write(input, quote, rawStringLength);
                return;
            }
        }
        // made only here: a generator takes about 12 KB of buffers, which plain strings, the common case, do not need
        JsonGenerator out = generator();
        switch (token) {
            case VALUE_STRING ->
                out.writeString(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
            case VALUE_TRUE, VALUE_FALSE -> out.writeBoolean(token == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> {
                switch (parser.getNumberType()) {
                    case INT -> out.writeNumber(parser.getIntValue());
                    case LONG -> out.writeNumber(parser.getLongValue());
                    default -> writeTree(parser);
                }
            }
            default -> writeTree(parser);
        }
        out.flush();
    }

    /** Whether the mapper writes every printable ASCII character but quote and backslash unescaped (the default). */
    private static boolean writesPrintableAsIs(ObjectMapper mapper) {
        StringBuilder printable = new StringBuilder("\"");
        for (char c = 0x20; c < 0x80; c++) {
            if (c != '"' && c != '\\') {
                printable.append(c);
            }
        }
        String quoted = printable.append('"').toString();
        return mapper.writeValueAsString(quoted.substring(1, quoted.length() - 1))
                .equals(quoted);
    }

    private void input(byte[] data, int start, int end) {
        input = data;
        inputStart = start;
        inputEnd = end;
    }

    /**
     * Where the string token the parser stands on starts in the input (its opening quote), if its text is plain: ASCII
     * without escapes or control characters, so that its bytes, quotes included, are exactly what the generator would
     * write for it and their content exactly its UTF-8. Sets {@link #rawStringLength}; -1 if not plain. The parser has
     * not decoded the string (Jackson decodes lazily) and skips it when asked for the next token, so a plain string's
     * bytes are copied once instead of decoded to chars and encoded back.
     */
    private int rawString(JsonParser parser) {
        if (!printableAsIs || !(parser instanceof ParserBase base)) {
            return -1;
        }
        // Jackson notes a string value's position one past its opening quote; checked, not trusted
        long quote = inputStart + base.getTokenCharacterOffset() - 1;
        if (quote < inputStart || quote >= inputEnd || input[(int) quote] != '"') {
            return -1;
        }
        int end = ByteScan.indexOfStringSpecial(input, (int) quote + 1, inputEnd);
        if (end < 0 || input[end] != '"') {
            return -1;
        }
        rawStringLength = end + 1 - (int) quote;
        return (int) quote;
    }

    private void writeTree(JsonParser parser) {
        generator().flush();
        JsonNode node = subtree.readTree(parser);
        byte[] bytes = mapper.writeValueAsBytes(node);
        scratch.write(bytes, 0, bytes.length);
    }

    private JsonGenerator generator() {
        if (generator == null) {
            generator = compact.createGenerator(scratch);
        }
        return generator;
    }

    /**
     * Returns the generator's buffers (about 12 KB) to Jackson's pool at the end of each read: a reader lives as long
     * as its request or stream, and an unclosed generator's buffers are left to the collector.
     */
    private void releaseGenerator() {
        if (generator != null) {
            JsonGenerator done = generator;
            generator = null;
            done.close();
        }
    }

    private static int partition(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return ProduceRequest.NONE;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw NOT_HERE;
        }
        int partition = parser.getIntValue();
        if (partition < 0) {
            throw NOT_HERE;
        }
        return partition;
    }

    private static long timestamp(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return ProduceRequest.NONE;
        }
        JsonParser.NumberType type = token == JsonToken.VALUE_NUMBER_INT ? parser.getNumberType() : null;
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw NOT_HERE;
        }
        long timestamp = parser.getLongValue();
        if (timestamp < 0) {
            throw NOT_HERE;
        }
        return timestamp;
    }

    private static void requireString(JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            throw NOT_HERE;
        }
    }
}
