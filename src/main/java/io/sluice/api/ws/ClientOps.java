package io.sluice.api.ws;

import io.sluice.api.http.StreamFormat;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.Header;
import io.sluice.stream.PositionToken;
import io.sluice.stream.RecordProducer;
import io.sluice.stream.StartSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Parses client frames into operations, validating every field; a bad frame is a {@link SluiceException} with
 * MALFORMED_REQUEST (not JSON), INVALID_REQUEST (missing field) or INVALID_VALUE (bad value). Stateless.
 */
final class ClientOps {

    static final int MAX_ID_LENGTH = 64;
    static final int MAX_RECORDS_PER_FRAME = 10_000;

    /** A parsed {@code subscribe}. {@code partitions} null = all; {@code credit} null = no credit mode. */
    record Subscribe(
            String id,
            String topic,
            List<Integer> partitions,
            StartSpec start,
            StreamFormat format,
            int maxRecords,
            Long credit,
            String group) {}

    record Produce(String correlationId, String topic, List<RecordProducer.Outgoing> records) {}

    private final ObjectMapper mapper;
    private final int defaultMaxRecords;

    ClientOps(ObjectMapper mapper, int defaultMaxRecords) {
        this.mapper = mapper;
        this.defaultMaxRecords = defaultMaxRecords;
    }

    JsonNode parse(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JacksonException e) {
            // reported below
        }
        throw new SluiceException(ErrorCode.MALFORMED_REQUEST, "a frame must be one JSON object");
    }

    Subscribe subscribe(JsonNode frame) {
        String id = id(frame);
        String topic = requiredText(frame, "topic");
        List<Integer> partitions = null;
        if (frame.hasNonNull("partitions")) {
            partitions = new ArrayList<>();
            for (JsonNode p : array(frame, "partitions")) {
                partitions.add((int) nonNegative(p, "partitions", Integer.MAX_VALUE));
            }
            if (partitions.isEmpty()) {
                throw invalid("partitions must not be empty (leave it out for all partitions)");
            }
        }
        int maxRecords = frame.hasNonNull("max_records")
                ? (int) range(frame.get("max_records"), "max_records", 1, MAX_RECORDS_PER_FRAME)
                : defaultMaxRecords;
        Long credit = frame.hasNonNull("credit") ? nonNegative(frame.get("credit"), "credit", Long.MAX_VALUE) : null;
        String group = frame.hasNonNull("group") ? requiredText(frame.get("group"), "name") : null;
        StreamFormat format = StreamFormat.parse(optionalText(frame, "format"));
        return new Subscribe(id, topic, partitions, start(frame), format, maxRecords, credit, group);
    }

    Produce produce(JsonNode frame) {
        String correlationId = optionalText(frame, "correlation_id");
        String topic = requiredText(frame, "topic");
        StreamFormat format = StreamFormat.parse(optionalText(frame, "format"));
        List<RecordProducer.Outgoing> records = new ArrayList<>();
        for (JsonNode record : array(frame, "records")) {
            if (!record.isObject()) {
                throw invalid("each record must be an object");
            }
            Integer partition = record.hasNonNull("partition")
                    ? (int) nonNegative(record.get("partition"), "partition", Integer.MAX_VALUE)
                    : null;
            Long timestamp = record.hasNonNull("timestamp")
                    ? nonNegative(record.get("timestamp"), "timestamp", Long.MAX_VALUE)
                    : null;
            records.add(new RecordProducer.Outgoing(
                    format.toBytes(record.get("key"), "key", mapper),
                    format.toBytes(record.get("value"), "value", mapper),
                    partition,
                    headers(record, format),
                    timestamp));
        }
        if (records.isEmpty()) {
            throw invalid("records must hold at least one record");
        }
        return new Produce(correlationId, topic, records);
    }

    /** The field that names what an operation is about, echoed on its error frames. */
    static String referenceField(String op) {
        return switch (op) {
            case "produce" -> "correlation_id";
            case "subscribe", "unsubscribe", "credit", "ack" -> "id";
            default -> null;
        };
    }

    /** The value of {@link #referenceField} in a frame, if it is a string. */
    static String reference(JsonNode frame, String op) {
        String field = referenceField(op);
        JsonNode node = field == null ? null : frame.get(field);
        return node != null && node.isString() ? node.stringValue() : null;
    }

    String id(JsonNode frame) {
        String id = requiredText(frame, "id");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw invalid("id must be 1.." + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    /** The {@code offsets} of an ack: next offset to consume per partition. */
    Map<Integer, Long> ackOffsets(JsonNode frame) {
        JsonNode given = frame.get("offsets");
        if (given == null || !given.isObject() || given.isEmpty()) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST, "offsets must be an object {\"<partition>\": <offset>}");
        }
        Map<Integer, Long> offsets = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : given.properties()) {
            offsets.put(partitionKey(entry.getKey()), nonNegative(entry.getValue(), "offsets", Long.MAX_VALUE));
        }
        return offsets;
    }

    long records(JsonNode frame) {
        return nonNegative(frame.get("records"), "records", Long.MAX_VALUE);
    }

    private StartSpec start(JsonNode frame) {
        String from = optionalText(frame, "from");
        if (from == null || from.equals("latest")) {
            return new StartSpec.Latest();
        }
        switch (from) {
            case "earliest":
                return new StartSpec.Earliest();
            case "timestamp":
                return new StartSpec.AtTimestamp(nonNegative(frame.get("timestamp"), "timestamp", Long.MAX_VALUE));
            case "token":
                return StartSpec.resume(PositionToken.parse(requiredText(frame, "token")));
            case "offsets":
                Map<Integer, Long> offsets = new TreeMap<>();
                JsonNode given = frame.get("offsets");
                if (given == null || !given.isObject()) {
                    throw invalid("from=offsets needs an offsets object {\"<partition>\": <offset>}");
                }
                for (Map.Entry<String, JsonNode> entry : given.properties()) {
                    offsets.put(partitionKey(entry.getKey()), nonNegative(entry.getValue(), "offsets", Long.MAX_VALUE));
                }
                return new StartSpec.AtOffsets(offsets, new StartSpec.Latest());
            default:
                throw invalid("from must be earliest, latest, timestamp, offsets or token, got '" + from + "'");
        }
    }

    private List<Header> headers(JsonNode record, StreamFormat format) {
        List<Header> headers = new ArrayList<>();
        if (!record.hasNonNull("headers")) {
            return headers;
        }
        for (JsonNode header : array(record, "headers")) {
            headers.add(new Header(requiredText(header, "key"), format.headerBytes(header.get("value"))));
        }
        return headers;
    }

    private static int partitionKey(String key) {
        try {
            int partition = Integer.parseInt(key);
            if (partition >= 0) {
                return partition;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("offsets keys must be partition numbers, got '" + key + "'");
    }

    private static Iterable<JsonNode> array(JsonNode frame, String field) {
        JsonNode node = frame.get(field);
        if (node == null || !node.isArray()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, field + " must be an array");
        }
        return node;
    }

    static String requiredText(JsonNode frame, String field) {
        JsonNode node = frame.get(field);
        if (node == null || !node.isString()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, field + " is required and must be a string");
        }
        return node.stringValue();
    }

    static String optionalText(JsonNode frame, String field) {
        JsonNode node = frame.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw invalid(field + " must be a string");
        }
        return node.stringValue();
    }

    private static long nonNegative(JsonNode node, String field, long max) {
        return range(node, field, 0, max);
    }

    private static long range(JsonNode node, String field, long min, long max) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(field + " must be an integer");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw invalid(field + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static SluiceException invalid(String message) {
        return new SluiceException(ErrorCode.INVALID_VALUE, message);
    }
}
