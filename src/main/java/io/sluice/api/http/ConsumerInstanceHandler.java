package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.group.AutoOffsetReset;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.InstanceConfig;
import io.sluice.group.InstanceInfo;
import io.sluice.group.Subscription;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.topic.TopicService;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Consumer instances (Confluent REST Proxy v2): create and delete, subscription, assignments. Every answer about an
 * instance carries its lease length in {@value ConsumerApi#LEASE_HEADER}; the instance's own description has when
 * the lease ends.
 */
final class ConsumerInstanceHandler {

    private static final Set<String> CREATE_FIELDS = Set.of(
            "name",
            "format",
            "auto.offset.reset",
            "auto.commit.enable",
            "fetch.min.bytes",
            "consumer.request.timeout.ms",
            "partition.assignment.strategy");

    private final GroupCoordinator groups;
    private final TopicService topics;
    private final ConsumerApi api;
    private final HttpSupport http;
    private final Access access;

    ConsumerInstanceHandler(
            GroupCoordinator groups, TopicService topics, ConsumerApi api, HttpSupport http, Access access) {
        this.access = access;
        this.groups = groups;
        this.topics = topics;
        this.api = api;
        this.http = http;
    }

    Mono<ServerResponse> create(ServerRequest request) {
        TopicHandler.requireJson(request);
        String group = request.pathVariable("group");
        // the caller owns the instance: other principals may not use it
        return access.owner(request)
                .flatMap(owner -> http.bytes(request)
                        .flatMap(bytes ->
                                http.blocking(() -> groups.createInstance(group, config(bytes), owner.orElse(null)))))
                .flatMap(info -> api.respond(request, HttpStatus.OK, created(request, info)));
    }

    Mono<ServerResponse> describe(ServerRequest request) {
        return api.call(request, (group, id) -> describe(groups.instance(group, id)));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        return api.run(request, (group, id) -> groups.deleteInstance(group, id));
    }

    Mono<ServerResponse> subscribe(ServerRequest request) {
        TopicHandler.requireJson(request);
        return http.bytes(request).flatMap(bytes -> {
            JsonNode body = ConsumerBodies.objectOrEmpty(http, bytes);
            ConsumerBodies.allowOnly(body, Set.of("topics", "topic_pattern"), "the body");
            Subscription subscription = subscription(body);
            // a pattern's topics are checked when records are read (they change as topics come and go)
            java.util.Collection<String> named =
                    subscription instanceof Subscription.Topics t ? t.topics() : java.util.List.of();
            return access.requireTopics(request, Operation.READ, named)
                    .then(api.run(request, (group, id) -> groups.subscribe(group, id, subscription)));
        });
    }

    /** With security on, a pattern's topics are listed only if the caller may DESCRIBE them. */
    Mono<ServerResponse> subscription(ServerRequest request) {
        return access.visible(request, ResourceType.TOPIC)
                .flatMap(visible -> api.call(request, (group, id) -> {
                    Optional<Subscription> current = groups.subscription(group, id);
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    var names = body.putArray("topics");
                    current.ifPresent(s ->
                            s.resolve(s instanceof Subscription.Topics t ? t.topics() : topics.list()).stream()
                                    .filter(name -> s instanceof Subscription.Topics || visible.test(name))
                                    .forEach(names::add));
                    if (current.orElse(null) instanceof Subscription.TopicPattern pattern) {
                        body.put("topic_pattern", pattern.regex());
                    }
                    return body;
                }));
    }

    Mono<ServerResponse> unsubscribe(ServerRequest request) {
        return api.run(request, (group, id) -> groups.unsubscribe(group, id));
    }

    /** With security on, partitions of topics the caller may not DESCRIBE are left out (a pattern can match them). */
    Mono<ServerResponse> assignments(ServerRequest request) {
        return access.visible(request, ResourceType.TOPIC)
                .flatMap(visible -> api.call(request, (group, id) -> {
                    var assignment = groups.assignment(group, id);
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.set(
                            "partitions",
                            ConsumerBodies.partitionsJson(assignment.partitions().stream()
                                    .filter(tp -> visible.test(tp.topic()))
                                    .toList()));
                    body.put("generation", assignment.generation());
                    body.put("state", assignment.state().name());
                    body.put("manual", assignment.manual());
                    return body;
                }));
    }

    Mono<ServerResponse> assign(ServerRequest request) {
        TopicHandler.requireJson(request);
        return http.bytes(request).flatMap(bytes -> {
            JsonNode body = ConsumerBodies.objectOrEmpty(http, bytes);
            ConsumerBodies.allowOnly(body, Set.of("partitions"), "the body");
            var partitions = ConsumerBodies.partitions(body, "partitions");
            return access.requireTopics(request, Operation.READ, Access.topicsOf(partitions))
                    .then(api.run(request, (group, id) -> groups.assign(group, id, partitions)));
        });
    }

    private InstanceConfig config(byte[] bytes) {
        JsonNode body = ConsumerBodies.objectOrEmpty(http, bytes);
        ConsumerBodies.allowOnly(body, CREATE_FIELDS, "the body");
        InstanceConfig defaults = InstanceConfig.defaults();
        String format = ConsumerBodies.scalar(body, "format");
        String reset = ConsumerBodies.scalar(body, "auto.offset.reset");
        String autoCommit = ConsumerBodies.scalar(body, "auto.commit.enable");
        return new InstanceConfig(
                ConsumerBodies.scalar(body, "name"),
                format == null ? defaults.format() : io.sluice.group.EmbeddedFormat.parse(format),
                reset == null ? defaults.autoOffsetReset() : AutoOffsetReset.parse(reset),
                autoCommit == null ? defaults.autoCommit() : bool("auto.commit.enable", autoCommit),
                (int) number(body, "fetch.min.bytes", defaults.fetchMinBytes(), Integer.MAX_VALUE),
                number(body, "consumer.request.timeout.ms", defaults.requestTimeoutMs(), Long.MAX_VALUE),
                ConsumerBodies.scalar(body, "partition.assignment.strategy"));
    }

    private ObjectNode created(ServerRequest request, InstanceInfo info) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("instance_id", info.instanceId());
        body.put("base_uri", baseUri(request.uri(), info.instanceId()));
        body.put("lease_ms", info.leaseMs());
        body.put("lease_expires_at", info.leaseExpiresAt());
        return body;
    }

    /**
     * The instance's URI as the client reached this server: the request URI, which Spring's forwarded-header
     * transformer has already rewritten from {@code Forwarded} / {@code X-Forwarded-*} (proto, host, port, prefix).
     */
    static String baseUri(URI requestUri, String instanceId) {
        return UriComponentsBuilder.fromUri(requestUri)
                .replaceQuery(null)
                .fragment(null)
                .pathSegment("instances", instanceId)
                .build(true)
                .toUriString();
    }

    static ObjectNode describe(InstanceInfo info) {
        InstanceConfig config = info.config();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("group", info.group());
        body.put("instance_id", info.instanceId());
        body.put("format", config.format().configValue());
        body.put("auto.offset.reset", config.autoOffsetReset().configValue());
        body.put("auto.commit.enable", config.autoCommit());
        body.put("fetch.min.bytes", config.fetchMinBytes());
        body.put("consumer.request.timeout.ms", config.requestTimeoutMs());
        if (config.assignor() != null) {
            body.put("partition.assignment.strategy", config.assignor());
        }
        body.put("lease_ms", info.leaseMs());
        body.put("lease_expires_at", info.leaseExpiresAt());
        body.put("last_seen", info.lastSeen());
        return body;
    }

    private static Subscription subscription(JsonNode body) {
        JsonNode topicList = body.get("topics");
        JsonNode pattern = body.get("topic_pattern");
        boolean hasTopics = topicList != null && !topicList.isNull();
        boolean hasPattern = pattern != null && !pattern.isNull();
        if (hasTopics == hasPattern) {
            throw ConsumerBodies.invalid("give exactly one of 'topics' (an array of names) and 'topic_pattern'");
        }
        if (hasPattern) {
            if (!pattern.isString()) {
                throw ConsumerBodies.invalid("'topic_pattern' must be a string");
            }
            return Subscription.pattern(pattern.stringValue());
        }
        if (!topicList.isArray()) {
            throw ConsumerBodies.invalid("'topics' must be an array of topic names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : topicList) {
            if (!name.isString()) {
                throw ConsumerBodies.invalid("'topics' must be an array of topic names");
            }
            names.add(name.stringValue());
        }
        return Subscription.topics(names);
    }

    private static boolean bool(String field, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new SluiceException(ErrorCode.INVALID_VALUE, "'" + field + "' must be true or false: " + value);
        };
    }

    private static long number(JsonNode body, String field, long defaultValue, long max) {
        String text = ConsumerBodies.scalar(body, field);
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SluiceException(ErrorCode.INVALID_VALUE, "'" + field + "' must be a non-negative integer: " + text);
    }
}
