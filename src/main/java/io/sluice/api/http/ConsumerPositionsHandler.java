package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.GroupCoordinator;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Where an instance reads next: {@code POST .../positions} with explicit offsets, {@code .../positions/beginning} and
 * {@code .../positions/end} with a partition list (all owned partitions when empty, a Sluice extension), {@code
 * .../positions/timestamp} by time and {@code GET .../positions}. Partitions must be owned by the instance (409
 * otherwise).
 */
final class ConsumerPositionsHandler {

    private final GroupCoordinator groups;
    private final ConsumerApi api;
    private final HttpSupport http;

    private final Access access;

    ConsumerPositionsHandler(GroupCoordinator groups, ConsumerApi api, HttpSupport http, Access access) {
        this.access = access;
        this.groups = groups;
        this.api = api;
        this.http = http;
    }

    /** With security on, partitions of topics the caller may not DESCRIBE are left out (a pattern can match them). */
    Mono<ServerResponse> positions(ServerRequest request) {
        return access.visible(request, ResourceType.TOPIC)
                .flatMap(visible -> api.call(request, (group, id) -> {
                    var positions = new TreeMap<>(groups.positions(group, id));
                    positions.keySet().removeIf(tp -> !visible.test(tp.topic()));
                    return ConsumerBodies.offsetsJson(positions);
                }));
    }

    Mono<ServerResponse> seek(ServerRequest request) {
        return withBody(request, body -> {
            ConsumerBodies.allowOnly(body, Set.of("offsets"), "the body");
            Map<TopicPartition, Long> offsets = ConsumerBodies.partitionValues(body, "offsets", "offset");
            if (offsets.isEmpty()) {
                throw ConsumerBodies.invalid("'offsets' must list at least one partition");
            }
            return readable(request, offsets.keySet())
                    .then(api.run(request, (group, id) -> groups.seek(group, id, offsets)));
        });
    }

    Mono<ServerResponse> seekToBeginning(ServerRequest request) {
        return withBody(request, body -> {
            ConsumerBodies.allowOnly(body, Set.of("partitions"), "the body");
            List<TopicPartition> partitions = ConsumerBodies.partitions(body, "partitions");
            return readable(request, partitions)
                    .then(api.run(request, (group, id) -> groups.seekToBeginning(group, id, partitions)));
        });
    }

    Mono<ServerResponse> seekToEnd(ServerRequest request) {
        return withBody(request, body -> {
            ConsumerBodies.allowOnly(body, Set.of("partitions"), "the body");
            List<TopicPartition> partitions = ConsumerBodies.partitions(body, "partitions");
            return readable(request, partitions)
                    .then(api.run(request, (group, id) -> groups.seekToEnd(group, id, partitions)));
        });
    }

    /**
     * {@code {"timestamps":[{"topic","partition","timestamp"}]}} or {@code {"timestamp": ms}} for every owned
     * partition; answers the new positions (the log end where no record is that recent).
     */
    Mono<ServerResponse> seekToTimestamp(ServerRequest request) {
        return withBody(request, body -> {
            ConsumerBodies.allowOnly(body, Set.of("timestamps", "timestamp"), "the body");
            java.util.Collection<TopicPartition> named = body.has("timestamps")
                    ? ConsumerBodies.partitionValues(body, "timestamps", "timestamp")
                            .keySet()
                    : List.of();
            return readable(request, named).then(api.call(request, (group, id) -> {
                Map<TopicPartition, Long> timestamps = timestamps(body, group, id);
                return ConsumerBodies.offsetsJson(groups.seekToTimestamp(group, id, timestamps));
            }));
        });
    }

    private Map<TopicPartition, Long> timestamps(JsonNode body, String group, String id) {
        JsonNode all = body.get("timestamp");
        boolean hasList = body.has("timestamps");
        if ((all == null) == !hasList) {
            throw ConsumerBodies.invalid(
                    "give exactly one of 'timestamps' (per partition) and 'timestamp' (all owned)");
        }
        if (hasList) {
            return ConsumerBodies.partitionValues(body, "timestamps", "timestamp");
        }
        if (!all.isIntegralNumber() || all.longValue() < 0) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "'timestamp' must be epoch milliseconds >= 0");
        }
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        groups.assignment(group, id).partitions().forEach(tp -> timestamps.put(tp, all.longValue()));
        return timestamps;
    }

    /** READ on the topics of the named partitions (unnamed ones are the instance's own, read-checked on reads). */
    private Mono<Void> readable(ServerRequest request, java.util.Collection<TopicPartition> partitions) {
        return access.requireTopics(request, Operation.READ, Access.topicsOf(partitions));
    }

    private Mono<ServerResponse> withBody(
            ServerRequest request, java.util.function.Function<JsonNode, Mono<ServerResponse>> handler) {
        TopicHandler.requireJson(request);
        return http.bytes(request)
                .map(bytes -> ConsumerBodies.objectOrEmpty(http, bytes))
                .flatMap(handler);
    }
}
