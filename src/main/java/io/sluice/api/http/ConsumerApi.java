package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import io.sluice.fetch.GroupFetchService;
import io.sluice.group.GroupCoordinator;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.topic.TopicService;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;

/**
 * The consumer-group routes (Confluent REST Proxy v2 paths, see {@link ApiPaths}), next to {@link HttpApi}'s. Every
 * coordinator call runs on the storage scheduler (it may touch H2 and the logs); the group read waits without a
 * thread. Answers about one instance carry {@value #LEASE_HEADER}: the lease each request renews.
 */
public final class ConsumerApi {

    /** Milliseconds an instance lives without a request naming it. */
    static final String LEASE_HEADER = "Sluice-Lease-Ms";

    private final GroupCoordinator groups;
    private final HttpSupport http;
    private final ConsumerInstanceHandler instances;
    private final ConsumerPositionsHandler positions;
    private final ConsumerOffsetsHandler offsets;
    private final ConsumerRecordsHandler records;
    private final GroupsHandler admin;
    private final Access access;

    public ConsumerApi(
            GroupCoordinator groups,
            GroupFetchService reads,
            TopicService topics,
            ObjectMapper mapper,
            Scheduler storageScheduler,
            HttpApi.Settings settings,
            Access access) {
        this.groups = groups;
        this.access = access;
        this.http = new HttpSupport(mapper, storageScheduler, settings.maxRequestBytes(), settings.bodyTimeout());
        this.instances = new ConsumerInstanceHandler(groups, topics, this, http, access);
        this.positions = new ConsumerPositionsHandler(groups, this, http, access);
        this.offsets = new ConsumerOffsetsHandler(groups, this, http, access);
        this.records = new ConsumerRecordsHandler(
                groups,
                reads,
                http,
                access,
                new RecordsHandler.ReadDefaults(
                        settings.defaultWait().toMillis(), settings.defaultMaxBytes(), settings.maxRecords()));
        this.admin = new GroupsHandler(groups, http, access);
    }

    /** The group read's handler, also served ahead of WebFlux by {@link DirectReads}. */
    ConsumerRecordsHandler records() {
        return records;
    }

    /**
     * The routes with the ACL each needs on the group in the path; a route about one instance also needs the caller to
     * own it. Handlers add READ on the topics their body (or the instance's assignment) names.
     */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .route(GET(ApiPaths.CONSUMERS), safe(admin::list)) // filtered by DESCRIBE
                .route(GET(ApiPaths.CONSUMER_GROUP), group(Operation.DESCRIBE, admin::describe))
                .route(POST(ApiPaths.CONSUMER_GROUP), group(Operation.READ, instances::create))
                .route(DELETE(ApiPaths.CONSUMER_GROUP), group(Operation.DELETE, admin::delete))
                .route(POST(ApiPaths.GROUP_OFFSETS_RESET), group(Operation.READ, admin::resetOffsets))
                .route(GET(ApiPaths.INSTANCE), instance(instances::describe))
                .route(DELETE(ApiPaths.INSTANCE), instance(instances::delete))
                .route(GET(ApiPaths.SUBSCRIPTION), instance(instances::subscription))
                .route(POST(ApiPaths.SUBSCRIPTION), instance(instances::subscribe))
                .route(DELETE(ApiPaths.SUBSCRIPTION), instance(instances::unsubscribe))
                .route(GET(ApiPaths.ASSIGNMENTS), instance(instances::assignments))
                .route(POST(ApiPaths.ASSIGNMENTS), instance(instances::assign))
                .route(GET(ApiPaths.POSITIONS), instance(positions::positions))
                .route(POST(ApiPaths.POSITIONS), instance(positions::seek))
                .route(POST(ApiPaths.POSITIONS_BEGINNING), instance(positions::seekToBeginning))
                .route(POST(ApiPaths.POSITIONS_END), instance(positions::seekToEnd))
                .route(POST(ApiPaths.POSITIONS_TIMESTAMP), instance(positions::seekToTimestamp))
                .route(GET(ApiPaths.CONSUMER_RECORDS), instance(records::read))
                .route(GET(ApiPaths.CONSUMER_OFFSETS), instance(offsets::committed))
                .route(POST(ApiPaths.CONSUMER_OFFSETS), instance(offsets::commit))
                .build();
    }

    private HandlerFunction<ServerResponse> group(Operation operation, HandlerFunction<ServerResponse> handler) {
        return access.guard(operation, ResourceType.GROUP, "group", safe(handler));
    }

    /**
     * A route about one instance: READ on the group (checked first, before anything is looked up), then the instance
     * must be the caller's own (see {@link Access#requireOwner}).
     */
    private HandlerFunction<ServerResponse> instance(HandlerFunction<ServerResponse> handler) {
        if (!access.isEnforcing()) {
            return group(Operation.READ, handler);
        }
        return group(Operation.READ, request -> {
            String group = request.pathVariable("group");
            String id = request.pathVariable("instance");
            return http.blocking(() -> groups.owner(group, id))
                    .flatMap(owner -> access.requireOwner(request, group, id, owner))
                    .then(Mono.defer(() -> handler.handle(request)));
        });
    }

    /** Runs {@code call(group, instance)} off the event loop and answers its result as JSON (200). */
    Mono<ServerResponse> call(ServerRequest request, BiFunction<String, String, Object> call) {
        String group = request.pathVariable("group");
        String id = request.pathVariable("instance");
        return http.blocking(() -> call.apply(group, id)).flatMap(body -> respond(request, HttpStatus.OK, body));
    }

    /** Runs {@code call(group, instance)} off the event loop and answers 204. */
    Mono<ServerResponse> run(ServerRequest request, BiConsumer<String, String> call) {
        String group = request.pathVariable("group");
        String id = request.pathVariable("instance");
        return http.blocking(() -> {
                    call.accept(group, id);
                    return id;
                })
                .flatMap(done ->
                        ServerResponse.noContent().header(LEASE_HEADER, lease()).build());
    }

    /** A JSON answer about an instance, with the lease header. */
    Mono<ServerResponse> respond(ServerRequest request, HttpStatus status, Object body) {
        MediaType type = HttpSupport.negotiate(request, SluiceMediaTypes.JSON_RESPONSES);
        return ServerResponse.status(status)
                .contentType(type)
                .header(LEASE_HEADER, lease())
                .bodyValue(http.mapper().writeValueAsBytes(body));
    }

    private String lease() {
        return Long.toString(groups.config().leaseMs());
    }

    private static HandlerFunction<ServerResponse> safe(HandlerFunction<ServerResponse> handler) {
        return request -> Mono.defer(() -> handler.handle(request));
    }
}
