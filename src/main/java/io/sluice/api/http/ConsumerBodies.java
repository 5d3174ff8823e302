package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of the consumer endpoints (Confluent REST Proxy v2): partition lists {@code
 * {"partitions":[{"topic","partition"}]}}, offset lists {@code {"offsets":[{"topic","partition","offset"}]}} and the
 * like. Parsing errors are 422s naming the field ({@code offsets[1].partition}). Stateless.
 */
final class ConsumerBodies {

    private static final Set<String> PARTITION_FIELDS = Set.of("topic", "partition");
    private static final Set<String> OFFSET_FIELDS = Set.of("topic", "partition", "offset", "metadata");
    private static final Set<String> TIMESTAMP_FIELDS = Set.of("topic", "partition", "timestamp");

    private ConsumerBodies() {}

    /** The object body, or an empty object for an empty body. */
    static JsonNode objectOrEmpty(HttpSupport http, byte[] bytes) {
        if (bytes.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode body = http.parse(bytes);
        if (!body.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        return body;
    }

    static void allowOnly(JsonNode body, Set<String> fields, String where) {
        for (String field : body.propertyNames()) {
            if (!fields.contains(field)) {
                throw invalid(where + " has unknown field '" + field + "'; allowed: " + fields);
            }
        }
    }

    /** {@code body[field]} as a list of partitions; empty if absent. */
    static List<TopicPartition> partitions(JsonNode body, String field) {
        List<TopicPartition> parsed = new ArrayList<>();
        for (JsonNode entry : array(body, field)) {
            String where = field + "[" + parsed.size() + "]";
            requireObject(entry, where);
            allowOnly(entry, PARTITION_FIELDS, where);
            parsed.add(partition(entry, where));
        }
        return parsed;
    }

    /** {@code body[field]} as partition → long value of {@code valueField}; empty if absent. */
    static Map<TopicPartition, Long> partitionValues(JsonNode body, String field, String valueField) {
        Set<String> allowed = valueField.equals("timestamp") ? TIMESTAMP_FIELDS : OFFSET_FIELDS;
        Map<TopicPartition, Long> parsed = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode entry : array(body, field)) {
            String where = field + "[" + index++ + "]";
            requireObject(entry, where);
            allowOnly(entry, allowed, where);
            TopicPartition tp = partition(entry, where);
            long value = requiredLong(entry, valueField, where);
            if (value < 0) {
                throw new SluiceException(ErrorCode.INVALID_VALUE, where + "." + valueField + " must be >= 0");
            }
            if (parsed.put(tp, value) != null) {
                throw invalid(where + " names " + tp + " a second time");
            }
        }
        return parsed;
    }

    /** {@code {"topic","partition"}} objects. */
    static ArrayNode partitionsJson(Collection<TopicPartition> partitions) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (TopicPartition tp : partitions) {
            partitionJson(array.addObject(), tp);
        }
        return array;
    }

    /** {@code {"offsets":[{"topic","partition","offset"}]}}. */
    static ObjectNode offsetsJson(Map<TopicPartition, Long> offsets) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode array = body.putArray("offsets");
        offsets.forEach((tp, offset) -> partitionJson(array.addObject(), tp).put("offset", offset));
        return body;
    }

    static ObjectNode partitionJson(ObjectNode node, TopicPartition tp) {
        return node.put("topic", tp.topic()).put("partition", tp.partition());
    }

    /** A string, number or boolean field as text (Confluent clients send numbers and booleans as strings). */
    static String scalar(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString() || node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        throw new SluiceException(ErrorCode.INVALID_VALUE, "'" + field + "' must be a string, number or boolean");
    }

    static SluiceException invalid(String message) {
        return new SluiceException(ErrorCode.INVALID_REQUEST, message);
    }

    private static Iterable<JsonNode> array(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("'" + field + "' must be an array");
        }
        return node;
    }

    private static TopicPartition partition(JsonNode entry, String where) {
        JsonNode topic = entry.get("topic");
        if (topic == null || !topic.isString() || topic.stringValue().isEmpty()) {
            throw invalid(where + ".topic must be a non-empty string");
        }
        long partition = requiredLong(entry, "partition", where);
        if (partition < 0 || partition > Integer.MAX_VALUE) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, where + ".partition must be a non-negative integer");
        }
        return new TopicPartition(topic.stringValue(), (int) partition);
    }

    private static long requiredLong(JsonNode entry, String field, String where) {
        JsonNode node = entry.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(where + "." + field + " must be an integer");
        }
        return node.longValue();
    }

    private static void requireObject(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " must be an object");
        }
    }
}
