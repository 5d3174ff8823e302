package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRecord;
import io.sluice.record.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Parses produce bodies: {@code {"records":[{"key","value","partition","headers","timestamp"}]}} and single NDJSON
 * record lines of the same record shape. Field errors are 422s naming the field ({@code records[2].partition}).
 * Thread-safe.
 */
final class ProduceBodies {

    private static final Set<String> RECORD_FIELDS = Set.of("key", "value", "partition", "headers", "timestamp");

    private final ObjectMapper mapper;

    ProduceBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<ProduceRecord> parseRequest(JsonNode body, EmbeddedFormat format) {
        if (!body.isObject()) {
            throw invalid("the body must be a JSON object with a 'records' array");
        }
        JsonNode records = body.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw invalid("'records' must be a non-empty array");
        }
        List<ProduceRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parsed.add(parseRecord(records.get(i), format, "records[" + i + "]"));
        }
        return parsed;
    }

    ProduceRecord parseRecord(JsonNode record, EmbeddedFormat format, String where) {
        if (!record.isObject()) {
            throw invalid(where + " must be an object");
        }
        for (String field : record.propertyNames()) {
            if (!RECORD_FIELDS.contains(field)) {
                throw invalid(where + " has unknown field '" + field + "'; records have " + RECORD_FIELDS);
            }
        }
        return new ProduceRecord(
                format.toBytes(record.get("key"), where + ".key", mapper),
                format.toBytes(record.get("value"), where + ".value", mapper),
                optionalInt(record.get("partition"), where + ".partition"),
                headers(record.get("headers"), format, where + ".headers"),
                optionalTimestamp(record.get("timestamp"), where + ".timestamp"));
    }

    static List<Header> headers(JsonNode headers, EmbeddedFormat format, String where) {
        if (headers == null || headers.isNull()) {
            return List.of();
        }
        if (!headers.isArray()) {
            throw invalid(where + " must be an array of {\"key\",\"value\"} objects");
        }
        List<Header> parsed = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            JsonNode header = headers.get(i);
            String at = where + "[" + i + "]";
            JsonNode key = header.get("key");
            if (!header.isObject() || key == null || !key.isString()) {
                throw invalid(at + " must be an object with a string 'key'");
            }
            parsed.add(new Header(key.stringValue(), format.headerToBytes(header.get("value"), at + ".value")));
        }
        return parsed;
    }

    private static Integer optionalInt(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw invalid(where + " must be a non-negative integer");
        }
        return node.intValue();
    }

    private static Long optionalTimestamp(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw invalid(where + " must be epoch milliseconds (a non-negative integer)");
        }
        return node.longValue();
    }

    private static SluiceException invalid(String message) {
        return new SluiceException(ErrorCode.INVALID_REQUEST, message);
    }
}
