package io.sluice.api.http;

import io.sluice.fetch.FetchResult;
import io.sluice.fetch.FetchedRecord;
import io.sluice.record.Header;
import io.sluice.record.TimestampType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How records appear in every read answer (the partition read and the consumer-instance read): {@code topic,
 * partition, offset, timestamp, timestamp_type, key, value, headers}, keys, values and header values in the embedded
 * format. Stateless.
 */
final class RecordRendering {

    private RecordRendering() {}

    /** Appends one object per record of {@code result} to {@code records}. */
    static void append(ArrayNode records, FetchResult result, EmbeddedFormat format, ObjectMapper mapper) {
        for (FetchedRecord record : result.records()) {
            ObjectNode node = records.addObject();
            node.put("topic", result.topic());
            node.put("partition", result.partition());
            node.put("offset", record.offset());
            node.put("timestamp", record.timestamp());
            node.put(
                    "timestamp_type",
                    record.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime");
            node.set("key", format.toNode(record.key(), record.offset(), "key", mapper));
            node.set("value", format.toNode(record.value(), record.offset(), "value", mapper));
            ArrayNode headers = node.putArray("headers");
            for (Header header : record.headers()) {
                ObjectNode h = headers.addObject();
                h.put("key", header.key());
                h.set("value", format.headerToNode(header.value(), record.offset()));
            }
        }
    }
}
