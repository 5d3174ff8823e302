package io.sluice.api.http;

import io.sluice.common.TopicPartition;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.GroupSummary;
import io.sluice.group.GroupView;
import io.sluice.group.MemberView;
import io.sluice.group.PartitionLag;
import io.sluice.group.ResetTarget;
import io.sluice.group.Subscription;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Group views and administration: {@code GET /consumers} (every group), {@code GET /consumers/{group}} (state,
 * generation, strategy, members with assignment and last-seen time, per partition committed offset, log end and lag),
 * {@code POST /consumers/{group}/offsets/reset} and {@code DELETE /consumers/{group}}, both only while the group is
 * empty (409 40904 otherwise).
 */
final class GroupsHandler {

    private final GroupCoordinator groups;
    private final HttpSupport http;
    private final Access access;

    GroupsHandler(GroupCoordinator groups, HttpSupport http, Access access) {
        this.access = access;
        this.groups = groups;
        this.http = http;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return access.visible(request, ResourceType.GROUP)
                .flatMap(visible -> http.blocking(groups::listGroups).flatMap(list -> listing(request, list, visible)));
    }

    private Mono<ServerResponse> listing(ServerRequest request, List<GroupSummary> list, Predicate<String> visible) {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        for (GroupSummary g : list) {
            if (!visible.test(g.group())) {
                continue;
            }
            body.addObject()
                    .put("group", g.group())
                    .put("state", g.state().name())
                    .put("generation", g.generation())
                    .put("strategy", g.assignor())
                    .put("instances", g.instances());
        }
        return http.respond(request, HttpStatus.OK, body);
    }

    /**
     * With security on, only topics the caller may DESCRIBE appear (as Kafka's OffsetFetch hides the others): in the
     * members' subscriptions and assignments, the lag table and the total lag.
     */
    Mono<ServerResponse> describe(ServerRequest request) {
        String group = request.pathVariable("group");
        return access.visible(request, ResourceType.TOPIC)
                .flatMap(visible -> http.blocking(() -> groups.describe(group))
                        .map(view -> access.isEnforcing() ? view.restrictedTo(visible) : view)
                        .flatMap(view -> http.respond(request, HttpStatus.OK, describe(view, visible))));
    }

    /**
     * {@code {"to":"earliest"|"latest"|"timestamp"|"offsets", "timestamp": ms, "topics": [...], "offsets":
     * [{"topic","partition","offset"}]}}: {@code topics} limits earliest/latest/timestamp to those topics (default
     * every partition with a committed offset); {@code offsets} are the next offsets to read. Answers the new
     * committed offsets.
     */
    Mono<ServerResponse> resetOffsets(ServerRequest request) {
        TopicHandler.requireJson(request);
        String group = request.pathVariable("group");
        return http.json(request)
                .flatMap(body -> {
                    if (!body.isObject()) {
                        throw ConsumerBodies.invalid("the body must be a JSON object");
                    }
                    ConsumerBodies.allowOnly(body, Set.of("to", "timestamp", "topics", "offsets"), "the body");
                    Set<String> topics = topics(body);
                    ResetTarget target = target(body);
                    return resettable(request, group, topics, target)
                            .then(http.blocking(() -> groups.resetOffsets(group, topics, target)));
                })
                .flatMap(offsets -> http.respond(request, HttpStatus.OK, ConsumerBodies.offsetsJson(offsets)));
    }

    /** READ on every topic the reset touches: those named, else every topic with a committed offset. */
    private Mono<Void> resettable(ServerRequest request, String group, Set<String> topics, ResetTarget target) {
        if (!access.isEnforcing()) {
            return Mono.empty();
        }
        if (target instanceof ResetTarget.ToOffsets offsets) {
            return access.requireTopics(
                    request, Operation.READ, Access.topicsOf(offsets.offsets().keySet()));
        }
        if (!topics.isEmpty()) {
            return access.requireTopics(request, Operation.READ, topics);
        }
        return http.blocking(() -> committedTopics(group))
                .flatMap(all -> access.requireTopics(request, Operation.READ, all));
    }

    private Set<String> committedTopics(String group) {
        Set<String> topics = new LinkedHashSet<>();
        groups.describe(group)
                .partitions()
                .forEach(lag -> topics.add(lag.partition().topic()));
        return topics;
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        String group = request.pathVariable("group");
        return http.blocking(() -> {
                    groups.deleteGroup(group);
                    return group;
                })
                .then(ServerResponse.noContent().build());
    }

    private static ResetTarget target(JsonNode body) {
        String to = ConsumerBodies.scalar(body, "to");
        if (to == null) {
            throw ConsumerBodies.invalid("'to' is required: earliest, latest, timestamp or offsets");
        }
        return switch (to) {
            case "earliest" -> new ResetTarget.Earliest();
            case "latest" -> new ResetTarget.Latest();
            case "timestamp" -> {
                JsonNode ts = body.get("timestamp");
                if (ts == null || !ts.isIntegralNumber() || ts.longValue() < 0) {
                    throw ConsumerBodies.invalid("'timestamp' (epoch milliseconds >= 0) is required with to=timestamp");
                }
                yield new ResetTarget.ToTimestamp(ts.longValue());
            }
            case "offsets" -> {
                Map<TopicPartition, Long> offsets = ConsumerBodies.partitionValues(body, "offsets", "offset");
                if (offsets.isEmpty()) {
                    throw ConsumerBodies.invalid("'offsets' must list at least one partition with to=offsets");
                }
                yield new ResetTarget.ToOffsets(offsets);
            }
            default -> throw ConsumerBodies.invalid("'to' must be earliest, latest, timestamp or offsets: " + to);
        };
    }

    private static Set<String> topics(JsonNode body) {
        Set<String> topics = new LinkedHashSet<>();
        JsonNode list = body.get("topics");
        if (list == null || list.isNull()) {
            return topics;
        }
        if (!list.isArray()) {
            throw ConsumerBodies.invalid("'topics' must be an array of topic names");
        }
        for (JsonNode name : list) {
            if (!name.isString()) {
                throw ConsumerBodies.invalid("'topics' must be an array of topic names");
            }
            topics.add(name.stringValue());
        }
        return topics;
    }

    private static ObjectNode describe(GroupView view, Predicate<String> visible) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("group", view.group());
        body.put("state", view.state().name());
        body.put("generation", view.generation());
        body.put("strategy", view.assignor());
        body.put("lease_ms", view.leaseMs());
        ArrayNode members = body.putArray("members");
        for (MemberView m : view.members()) {
            ObjectNode member = members.addObject();
            member.put("instance_id", m.instanceId());
            member.set("subscription", subscription(m, visible));
            member.put("manual", m.manual());
            member.set("assignment", ConsumerBodies.partitionsJson(m.assignment()));
            member.put("last_seen", m.lastSeen());
            member.put("lease_expires_at", m.leaseExpiresAt());
            member.put("format", m.config().format().configValue());
            member.put("auto.offset.reset", m.config().autoOffsetReset().configValue());
            member.put("auto.commit.enable", m.config().autoCommit());
        }
        ArrayNode partitions = body.putArray("partitions");
        for (PartitionLag lag : view.partitions()) {
            ObjectNode p = ConsumerBodies.partitionJson(partitions.addObject(), lag.partition());
            if (lag.committed().isPresent()) {
                p.put("committed_offset", lag.committed().getAsLong());
            } else {
                p.putNull("committed_offset");
            }
            p.put("log_end_offset", lag.logEndOffset());
            p.put("lag", lag.lag());
            if (lag.owner().isPresent()) {
                p.put("owner", lag.owner().get());
            } else {
                p.putNull("owner");
            }
        }
        body.put("total_lag", view.totalLag());
        return body;
    }

    private static JsonNode subscription(MemberView member, Predicate<String> visible) {
        if (member.subscription().isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        Subscription s = member.subscription().get();
        if (s instanceof Subscription.Topics t) {
            ArrayNode names = node.putArray("topics");
            t.topics().stream().filter(visible).forEach(names::add);
        } else if (s instanceof Subscription.TopicPattern p) {
            node.put("topic_pattern", p.regex());
        }
        return node;
    }
}
