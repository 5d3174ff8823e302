package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.OffsetLookup;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.topic.TopicChange;
import io.sluice.topic.TopicService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Topic administration and partition offsets: parse, call {@link TopicService}, answer JSON. */
final class TopicHandler {

    private static final Set<String> CREATE_FIELDS =
            new TreeSet<>(Set.of("name", "partitions", "replication_factor", "configs"));
    private static final Set<String> ALTER_FIELDS = new TreeSet<>(Set.of("partitions", "configs"));

    private final TopicService topics;
    private final FetchService fetch;
    private final HttpSupport http;
    private final int defaultPartitions;
    private final Access access;

    TopicHandler(TopicService topics, FetchService fetch, HttpSupport http, int defaultPartitions, Access access) {
        this.access = access;
        this.topics = topics;
        this.fetch = fetch;
        this.http = http;
        this.defaultPartitions = defaultPartitions;
    }

    Mono<ServerResponse> create(ServerRequest request) {
        requireJson(request);
        return http.json(request)
                .flatMap(body -> {
                    requireObject(body, CREATE_FIELDS);
                    String name = requiredString(body, "name");
                    return access.requireEither(request, Operation.CREATE, ResourceType.TOPIC, name)
                            .thenReturn(body);
                })
                .flatMap(body -> http.blocking(() -> {
                    String name = requiredString(body, "name");
                    int partitions = optionalInt(body, "partitions").orElse(defaultPartitions);
                    int replication = optionalInt(body, "replication_factor").orElse(1);
                    return topics.create(name, partitions, replication, configs(body.get("configs"), false));
                }))
                .flatMap(created -> http.respond(request, HttpStatus.CREATED, created));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return access.visible(request, ResourceType.TOPIC)
                .flatMap(visible -> http.respond(
                        request,
                        HttpStatus.OK,
                        topics.list().stream().filter(visible).toList()));
    }

    Mono<ServerResponse> describe(ServerRequest request) {
        String topic = request.pathVariable("topic");
        return http.blocking(() -> topics.describe(topic))
                .flatMap(description -> http.respond(request, HttpStatus.OK, description));
    }

    Mono<ServerResponse> alter(ServerRequest request) {
        requireJson(request);
        String topic = request.pathVariable("topic");
        return http.json(request)
                .flatMap(body -> http.blocking(() -> {
                    requireObject(body, ALTER_FIELDS);
                    Map<String, Optional<String>> changes = new LinkedHashMap<>();
                    configs(body.get("configs"), true).forEach((k, v) -> changes.put(k, Optional.ofNullable(v)));
                    return topics.alter(topic, new TopicChange(optionalInt(body, "partitions"), changes));
                }))
                .flatMap(altered -> http.respond(request, HttpStatus.OK, altered));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        String topic = request.pathVariable("topic");
        return http.blocking(() -> {
                    topics.delete(topic);
                    return topic;
                })
                .then(ServerResponse.noContent().build());
    }

    Mono<ServerResponse> partitions(ServerRequest request) {
        String topic = request.pathVariable("topic");
        return http.blocking(() -> topics.describe(topic).partitions())
                .flatMap(partitions -> http.respond(request, HttpStatus.OK, partitions));
    }

    Mono<ServerResponse> partition(ServerRequest request) {
        String topic = request.pathVariable("topic");
        int partition = HttpSupport.pathInt(request, "partition");
        return http.blocking(() -> topics.describePartition(topic, partition))
                .flatMap(description -> http.respond(request, HttpStatus.OK, description));
    }

    Mono<ServerResponse> offsets(ServerRequest request) {
        String topic = request.pathVariable("topic");
        int partition = HttpSupport.pathInt(request, "partition");
        Optional<Long> timestamp = http.optionalLong(request, "timestamp");
        return http.blocking(() -> offsetsBody(fetch.offsets(topic, partition, timestamp), timestamp.isPresent()))
                .flatMap(body -> http.respond(request, HttpStatus.OK, body));
    }

    private static Map<String, Object> offsetsBody(OffsetLookup lookup, boolean byTime) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("beginning_offset", lookup.beginningOffset());
        body.put("end_offset", lookup.endOffset());
        if (byTime) {
            body.put("offset", lookup.offset());
            body.put("timestamp", lookup.timestamp() < 0 ? null : lookup.timestamp());
        }
        return body;
    }

    static void requireJson(ServerRequest request) {
        Optional<MediaType> type = request.headers().contentType();
        if (type.isPresent()
                && !type.get().isCompatibleWith(MediaType.APPLICATION_JSON)
                && !type.get().isCompatibleWith(SluiceMediaTypes.KAFKA_V2)) {
            throw new SluiceException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "content type " + type.get() + " is not supported here; send application/json");
        }
    }

    private static void requireObject(JsonNode body, Set<String> fields) {
        if (!body.isObject()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!fields.contains(field)) {
                throw new SluiceException(
                        ErrorCode.INVALID_REQUEST, "unknown field '" + field + "'; expected some of " + fields);
            }
        }
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isString()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be a string");
        }
        return node.stringValue();
    }

    private static OptionalInt optionalInt(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be an integer");
        }
        return OptionalInt.of(node.intValue());
    }

    /** Config values as strings (numbers and booleans are accepted too); null values only where resets are allowed. */
    private static Map<String, String> configs(JsonNode configs, boolean allowNull) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (configs == null || configs.isNull()) {
            return parsed;
        }
        if (!configs.isObject()) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "'configs' must be an object of name: value");
        }
        for (Map.Entry<String, JsonNode> entry : configs.properties()) {
            JsonNode value = entry.getValue();
            if (value.isNull() && allowNull) {
                parsed.put(entry.getKey(), null);
            } else if (value.isString() || value.isNumber() || value.isBoolean()) {
                parsed.put(entry.getKey(), value.asString());
            } else {
                throw new SluiceException(
                        ErrorCode.INVALID_VALUE, "config '" + entry.getKey() + "' must be a string or a number");
            }
        }
        return parsed;
    }
}
