package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.queryParam;

import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.stream.LogAccess;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;

/**
 * Routes of the HTTP streams: SSE at {@code /topics/{topic}/events} and the NDJSON follow mode of the partition read
 * endpoint. The follow route only matches {@code follow=true}, so it must be ordered before the plain read route.
 * Both need READ on the topic to start ({@link Access}) and stay open only while the caller keeps it ({@link
 * StreamGuards}: revocation, token expiry and ACL changes end them).
 */
public final class LiveHttpApi {

    public static final String EVENTS = "/topics/{topic}/events";
    public static final String RECORDS = "/topics/{topic}/partitions/{partition}/records";

    private final TopicEventsHandler events;

    private final Access access;

    public LiveHttpApi(
            LogAccess logs,
            ObjectMapper mapper,
            Scheduler storageScheduler,
            LiveStreamSettings settings,
            Access access,
            StreamGuards guards) {
        this.access = access;
        this.events = new TopicEventsHandler(logs, mapper, storageScheduler, settings, guards);
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .route(GET(EVENTS), readTopic(events::events))
                .route(GET(RECORDS).and(queryParam("follow", "true")), readTopic(events::follow))
                .build();
    }

    private HandlerFunction<ServerResponse> readTopic(HandlerFunction<ServerResponse> handler) {
        return access.guard(Operation.READ, ResourceType.TOPIC, "topic", deferred(handler));
    }

    private static HandlerFunction<ServerResponse> deferred(HandlerFunction<ServerResponse> handler) {
        return request -> Mono.defer(() -> handler.handle(request));
    }
}
