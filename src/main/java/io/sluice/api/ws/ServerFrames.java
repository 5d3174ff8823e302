package io.sluice.api.ws;

import io.sluice.api.http.StreamFormat;
import io.sluice.common.ErrorCode;
import io.sluice.common.TopicPartition;
import io.sluice.stats.PartitionSnapshot;
import io.sluice.stats.StatsSnapshot;
import io.sluice.stats.TopicStats;
import io.sluice.stream.PositionToken;
import io.sluice.stream.RecordProducer;
import io.sluice.stream.StreamRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builds every server frame of the WebSocket protocol (docs/websocket.md) as JSON text. Thread-safe. */
final class ServerFrames {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;

    ServerFrames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String subscribed(String id, String topic, Collection<Integer> partitions, PositionToken token) {
        ObjectNode frame = frame("subscribed", id);
        frame.put("topic", topic);
        ArrayNode list = frame.putArray("partitions");
        partitions.forEach(list::add);
        frame.put("token", token.toString());
        return write(frame);
    }

    String records(String id, List<StreamRecord> records, PositionToken token, StreamFormat format) {
        ObjectNode frame = frame("records", id);
        frame.put("token", token.toString());
        ArrayNode list = frame.putArray("records");
        records.forEach(record -> list.add(format.toJson(record, mapper)));
        return write(frame);
    }

    String caughtUp(String id, PositionToken token, Map<Integer, Long> highWatermarks) {
        ObjectNode frame = frame("caught_up", id);
        frame.put("token", token.toString());
        ObjectNode hws = frame.putObject("high_watermarks");
        highWatermarks.forEach((partition, hw) -> hws.put(String.valueOf(partition), hw));
        return write(frame);
    }

    String assignment(String id, String group, String instanceId, int generation, Collection<Integer> partitions) {
        ObjectNode frame = frame("assignment", id);
        frame.put("group", group);
        frame.put("instance_id", instanceId);
        frame.put("generation", generation);
        ArrayNode list = frame.putArray("partitions");
        partitions.forEach(list::add);
        return write(frame);
    }

    String acked(String id, Map<TopicPartition, Long> offsets) {
        ObjectNode frame = frame("acked", id);
        ObjectNode committed = frame.putObject("offsets");
        offsets.forEach((tp, offset) -> committed.put(String.valueOf(tp.partition()), offset));
        return write(frame);
    }

    String unsubscribed(String id) {
        return write(frame("unsubscribed", id));
    }

    String produced(String correlationId, List<RecordProducer.Placed> placed) {
        ObjectNode frame = NODES.objectNode();
        frame.put("type", "produced");
        frame.put("correlation_id", correlationId);
        ArrayNode offsets = frame.putArray("offsets");
        placed.forEach(p -> offsets.addObject().put("partition", p.partition()).put("offset", p.offset()));
        return write(frame);
    }

    String stats(StatsSnapshot snapshot) {
        ObjectNode frame = NODES.objectNode();
        frame.put("type", "stats");
        frame.put("time", snapshot.time());
        ArrayNode topics = frame.putArray("topics");
        for (TopicStats topic : snapshot.topics()) {
            ObjectNode node = topics.addObject();
            node.put("topic", topic.topic());
            node.put("records_per_sec", round(topic.recordsPerSec()));
            node.put("bytes_per_sec", round(topic.bytesPerSec()));
            ArrayNode partitions = node.putArray("partitions");
            for (PartitionSnapshot p : topic.partitions()) {
                partitions
                        .addObject()
                        .put("partition", p.partition())
                        .put("beginning_offset", p.beginningOffset())
                        .put("end_offset", p.endOffset())
                        .put("size_bytes", p.sizeBytes());
            }
        }
        return write(frame);
    }

    /** An error; {@code ref} names what it is about: {@code id}, {@code correlation_id} or nothing. */
    String error(ErrorCode code, String message, boolean fatal, String refField, String ref) {
        ObjectNode frame = NODES.objectNode();
        frame.put("type", "error");
        if (refField != null && ref != null) {
            frame.put(refField, ref);
        }
        frame.put("error_code", code.code());
        frame.put("message", message);
        frame.put("fatal", fatal);
        return write(frame);
    }

    private static ObjectNode frame(String type, String id) {
        ObjectNode frame = NODES.objectNode();
        frame.put("type", type);
        frame.put("id", id);
        return frame;
    }

    private static double round(double rate) {
        return Math.round(rate * 100) / 100.0;
    }

    private String write(ObjectNode frame) {
        return mapper.writeValueAsString(frame);
    }
}
