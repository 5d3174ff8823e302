package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.PATCH;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import io.sluice.fetch.FetchService;
import io.sluice.produce.ProduceService;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.topic.TopicService;
import java.time.Duration;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;

/**
 * The HTTP API's routes (paths in {@link ApiPaths}), each naming one handler method. Handlers parse, call a service
 * (blocking calls on the storage scheduler) and answer; errors go to {@link ApiErrorHandler}.
 */
public final class HttpApi {

    /** Limits and defaults of the HTTP edge. */
    public record Settings(
            int maxRequestBytes,
            Duration bodyTimeout,
            int defaultPartitions,
            Duration defaultWait,
            int defaultMaxBytes,
            int maxRecords) {}

    private final TopicHandler topics;
    private final ProduceHandler produce;
    private final RecordsHandler records;
    private final OpenApiHandler openApi = new OpenApiHandler();
    private final Access access;

    public HttpApi(
            TopicService topicService,
            ProduceService produceService,
            FetchService fetchService,
            ObjectMapper mapper,
            Scheduler storageScheduler,
            Settings settings,
            Access access) {
        this.access = access;
        HttpSupport http =
                new HttpSupport(mapper, storageScheduler, settings.maxRequestBytes(), settings.bodyTimeout());
        this.topics = new TopicHandler(topicService, fetchService, http, settings.defaultPartitions(), access);
        this.produce = new ProduceHandler(produceService, http);
        this.records = new RecordsHandler(
                fetchService,
                http,
                new RecordsHandler.ReadDefaults(
                        settings.defaultWait().toMillis(), settings.defaultMaxBytes(), settings.maxRecords()));
    }

    /** The partition read's handler, also served ahead of WebFlux by {@link DirectReads}. */
    RecordsHandler records() {
        return records;
    }

    /** The produce handler, whose JSON bodies {@link DirectProduce} also serves ahead of WebFlux. */
    ProduceHandler produce() {
        return produce;
    }

    /** The routes, each with the ACL it needs (see README's security section for the table). */
    public RouterFunction<ServerResponse> routes() {
        // The data routes first: every request tests the routes in order until one matches.
        return RouterFunctions.route()
                .route(GET(ApiPaths.RECORDS), topic(Operation.READ, records::read))
                .route(POST(ApiPaths.TOPIC), topic(Operation.WRITE, produce::produce))
                .route(POST(ApiPaths.PARTITION), topic(Operation.WRITE, produce::produce))
                .route(GET(ApiPaths.TOPICS), safe(topics::list)) // filtered by DESCRIBE
                .route(POST(ApiPaths.TOPICS), safe(topics::create)) // CREATE on the body's name or the cluster
                .route(GET(ApiPaths.TOPIC), topic(Operation.DESCRIBE, topics::describe))
                .route(PATCH(ApiPaths.TOPIC), topic(Operation.ALTER, topics::alter))
                .route(DELETE(ApiPaths.TOPIC), topic(Operation.DELETE, topics::delete))
                .route(GET(ApiPaths.PARTITIONS), topic(Operation.DESCRIBE, topics::partitions))
                .route(GET(ApiPaths.PARTITION), topic(Operation.DESCRIBE, topics::partition))
                .route(GET(ApiPaths.OFFSETS), topic(Operation.READ, topics::offsets))
                .route(GET(ApiPaths.OPENAPI), safe(openApi::get))
                .build();
    }

    private HandlerFunction<ServerResponse> topic(Operation operation, HandlerFunction<ServerResponse> handler) {
        return access.guard(operation, ResourceType.TOPIC, "topic", safe(handler));
    }

    /** Turns an exception thrown while a handler sets up into an error signal, so the error handler sees it. */
    private static HandlerFunction<ServerResponse> safe(HandlerFunction<ServerResponse> handler) {
        return request -> Mono.defer(() -> handler.handle(request));
    }
}
