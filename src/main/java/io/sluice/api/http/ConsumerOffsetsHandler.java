package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupCoordinator;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Committed offsets of an instance's group, as in Confluent REST Proxy v2. {@code POST .../offsets} with {@code
 * {"offsets":[{"topic","partition","offset"}]}} commits, per partition, the offset of the <em>last record
 * processed</em> (the group then resumes at {@code offset + 1}); an empty body or empty list commits everything
 * returned so far. A partition the instance does not own is refused with 409 (40903) and nothing is committed. {@code
 * GET .../offsets?partition=<topic>:<p>} (repeatable; all owned partitions without it) answers the committed
 * offsets, i.e. the next offset the group will read.
 */
final class ConsumerOffsetsHandler {

    private final GroupCoordinator groups;
    private final ConsumerApi api;
    private final HttpSupport http;

    private final Access access;

    ConsumerOffsetsHandler(GroupCoordinator groups, ConsumerApi api, HttpSupport http, Access access) {
        this.access = access;
        this.groups = groups;
        this.api = api;
        this.http = http;
    }

    Mono<ServerResponse> commit(ServerRequest request) {
        TopicHandler.requireJson(request);
        return http.bytes(request).flatMap(bytes -> {
            JsonNode body = ConsumerBodies.objectOrEmpty(http, bytes);
            ConsumerBodies.allowOnly(body, Set.of("offsets"), "the body");
            Map<TopicPartition, Long> processed = ConsumerBodies.partitionValues(body, "offsets", "offset");
            return access.requireTopics(request, Operation.READ, Access.topicsOf(processed.keySet()))
                    .then(api.call(request, (group, id) -> {
                        if (processed.isEmpty()) {
                            return ConsumerBodies.offsetsJson(groups.commitPositions(group, id));
                        }
                        Map<TopicPartition, Long> next = new LinkedHashMap<>();
                        processed.forEach((tp, last) -> next.put(tp, last + 1));
                        return ConsumerBodies.offsetsJson(groups.commit(group, id, next));
                    }));
        });
    }

    Mono<ServerResponse> committed(ServerRequest request) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String value : request.queryParams().getOrDefault("partition", List.of())) {
            partitions.add(parsePartition(value));
        }
        // topics the caller may not DESCRIBE are left out, as in Kafka's OffsetFetch
        return access.visible(request, ResourceType.TOPIC)
                .flatMap(visible -> api.call(request, (group, id) -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    ArrayNode offsets = body.putArray("offsets");
                    for (Map.Entry<TopicPartition, CommittedOffset> entry :
                            groups.committed(group, id, partitions).entrySet()) {
                        if (!visible.test(entry.getKey().topic())) {
                            continue;
                        }
                        ConsumerBodies.partitionJson(offsets.addObject(), entry.getKey())
                                .put("offset", entry.getValue().offset())
                                .put("metadata", entry.getValue().metadata());
                    }
                    return body;
                }));
    }

    /** {@code <topic>:<partition>}; topic names cannot contain ':'. */
    private static TopicPartition parsePartition(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon > 0) {
                return new TopicPartition(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new SluiceException(
                ErrorCode.INVALID_VALUE, "partition must be <topic>:<partition number>, got '" + value + "'");
    }
}
