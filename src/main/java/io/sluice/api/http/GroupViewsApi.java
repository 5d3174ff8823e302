package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import io.sluice.common.TopicPartition;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.GroupSummary;
import io.sluice.group.GroupView;
import io.sluice.group.MemberView;
import io.sluice.group.PartitionLag;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Read-only consumer-group views: {@code GET /consumers} (every group) and {@code GET /consumers/{group}} (members,
 * assignment, committed offsets and lag per partition), as the dashboard shows them. Calls run on the storage
 * scheduler because the coordinator reads committed offsets from its store.
 */
public final class GroupViewsApi {

    public static final String GROUPS = "/consumers";
    public static final String GROUP = "/consumers/{group}";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GroupCoordinator groups;
    private final ObjectMapper mapper;
    private final Scheduler storageScheduler;

    public GroupViewsApi(GroupCoordinator groups, ObjectMapper mapper, Scheduler storageScheduler) {
        this.groups = groups;
        this.mapper = mapper;
        this.storageScheduler = storageScheduler;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .route(GET(GROUPS), request -> Mono.defer(() -> list()))
                .route(GET(GROUP), request -> Mono.defer(() -> describe(request)))
                .build();
    }

    private Mono<ServerResponse> list() {
        return Mono.fromCallable(groups::listGroups)
                .subscribeOn(storageScheduler)
                .map(list -> {
                    ArrayNode array = NODES.arrayNode();
                    for (GroupSummary g : list) {
                        array.addObject()
                                .put("group", g.group())
                                .put("state", g.state().name())
                                .put("generation", g.generation())
                                .put("assignor", g.assignor())
                                .put("instances", g.instances());
                    }
                    return array;
                })
                .flatMap(this::ok);
    }

    private Mono<ServerResponse> describe(ServerRequest request) {
        String group = request.pathVariable("group");
        return Mono.fromCallable(() -> groups.describe(group))
                .subscribeOn(storageScheduler)
                .map(GroupViewsApi::toJson)
                .flatMap(this::ok);
    }

    private static ObjectNode toJson(GroupView view) {
        ObjectNode node = NODES.objectNode();
        node.put("group", view.group());
        node.put("state", view.state().name());
        node.put("generation", view.generation());
        node.put("assignor", view.assignor());
        node.put("total_lag", view.totalLag());
        ArrayNode members = node.putArray("members");
        for (MemberView member : view.members()) {
            ObjectNode m = members.addObject();
            m.put("instance_id", member.instanceId());
            m.put("last_seen", member.lastSeen());
            m.put("lease_expires_at", member.leaseExpiresAt());
            ArrayNode assignment = m.putArray("assignment");
            for (TopicPartition tp : member.assignment()) {
                assignment.addObject().put("topic", tp.topic()).put("partition", tp.partition());
            }
        }
        ArrayNode partitions = node.putArray("partitions");
        for (PartitionLag lag : view.partitions()) {
            ObjectNode p = partitions.addObject();
            p.put("topic", lag.partition().topic());
            p.put("partition", lag.partition().partition());
            if (lag.committed().isPresent()) {
                p.put("committed", lag.committed().getAsLong());
            } else {
                p.putNull("committed");
            }
            p.put("end_offset", lag.logEndOffset());
            p.put("lag", lag.lag());
            if (lag.owner().isPresent()) {
                p.put("owner", lag.owner().get());
            } else {
                p.putNull("owner");
            }
        }
        return node;
    }

    private Mono<ServerResponse> ok(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(mapper.writeValueAsBytes(body));
    }
}
