package io.sluice.api.http;

import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRequest;
import io.sluice.record.Header;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads produce bodies token by token, straight into a {@link ProduceRequest}: {@code {"records":[...]}} bodies and
 * runs of NDJSON record lines (the record shape of {@link ProduceBodies}). No tree and no object per record: each
 * record's key and value are written into one reused scratch buffer by an {@link EmbeddedValueWriter} and handed to
 * the request as slices, which copies them into its batch.
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

    private final ObjectMapper mapper;
    private final ByteSink scratch = new ByteSink(1024);
    private final EmbeddedValueWriter values;

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
        this.values = new EmbeddedValueWriter(mapper, scratch);
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
        values.input(data, starts[from], ends[to - 1]);
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
        } catch (JacksonException | SluiceException | IllegalArgumentException | LeftToTree e) {
            return i;
        } finally {
            values.release();
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
        values.input(data, offset, offset + length);
        try (JsonParser parser = mapper.createParser(data, offset, length)) {
            return parser.nextToken() == JsonToken.START_OBJECT && object.test(parser);
        } catch (JacksonException | SluiceException | IllegalArgumentException | LeftToTree e) {
            return false;
        } finally {
            values.release();
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
                throw LeftToTree.INSTANCE;
            }
            seen |= field;
            switch (field) {
                case KEY -> {
                    keyOffset = scratch.size();
                    keyLength = values.write(parser, token, format);
                }
                case VALUE -> {
                    valueOffset = scratch.size();
                    valueLength = values.write(parser, token, format);
                }
                case PARTITION -> partition = partition(parser, token);
                case TIMESTAMP -> timestamp = timestamp(parser, token);
                default -> headers = ProduceBodies.headers(values.tree(parser), format, "headers");
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
            default -> throw LeftToTree.INSTANCE;
        };
    }

    private static int partition(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return ProduceRequest.NONE;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw LeftToTree.INSTANCE;
        }
        int partition = parser.getIntValue();
        if (partition < 0) {
            throw LeftToTree.INSTANCE;
        }
        return partition;
    }

    private static long timestamp(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return ProduceRequest.NONE;
        }
        JsonParser.NumberType type = token == JsonToken.VALUE_NUMBER_INT ? parser.getNumberType() : null;
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw LeftToTree.INSTANCE;
        }
        long timestamp = parser.getLongValue();
        if (timestamp < 0) {
            throw LeftToTree.INSTANCE;
        }
        return timestamp;
    }
}
