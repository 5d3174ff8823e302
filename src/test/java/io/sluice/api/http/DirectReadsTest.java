package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.GroupFetchService;
import io.sluice.group.AutoOffsetReset;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.GroupCoordinatorConfig;
import io.sluice.group.InstanceConfig;
import io.sluice.group.Subscription;
import io.sluice.group.offsets.InMemoryOffsetStore;
import io.sluice.group.topics.TopicServiceCatalog;
import io.sluice.group.topics.TopicServiceOffsets;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.topic.ServicesFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The direct read routes (partition and consumer-group instance) on a real Reactor Netty server, over real logs and a
 * real group coordinator (in-memory offsets), with a stand-in for Spring's handler behind them.
 */
class DirectReadsTest {

    private static final String READ = "/topics/t/partitions/0/records";
    private static final String GROUP_READ = "/consumers/g/instances/c/records";

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final DeadlineTimer deadlines = new DeadlineTimer("deadlines", Clock.system(), 5);
    private final AtomicInteger fullPath = new AtomicInteger();

    private ServicesFixture services;
    private FetchService fetch;
    private GroupCoordinator coordinator;
    private AdmissionFilter admission;
    private DisposableServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        services = new ServicesFixture(dir);
        services.topics.create("t", 1, 1, Map.of());
        fetch = new FetchService(services.topics, executor, deadlines, services.clock, services.metrics, 60_000);
        services.logs.addListener(fetch);
        HttpApi.Settings settings =
                new HttpApi.Settings(1 << 20, Duration.ofSeconds(5), 1, Duration.ofSeconds(30), 1 << 20, 1000);
        HttpApi api = new HttpApi(
                services.topics,
                new ProduceService(services.topics, services.clock, services.metrics),
                fetch,
                JsonMapper.builder().build(),
                Schedulers.fromExecutor(executor),
                settings,
                Access.open());
        coordinator = new GroupCoordinator(
                GroupCoordinatorConfig.defaults(),
                services.clock,
                new TopicServiceCatalog(services.topics),
                new TopicServiceOffsets(services.topics),
                new InMemoryOffsetStore());
        ConsumerApi consumers = new ConsumerApi(
                coordinator,
                new GroupFetchService(coordinator, fetch, executor, timer, Clock.system(), 60_000),
                services.topics,
                JsonMapper.builder().build(),
                Schedulers.fromExecutor(executor),
                settings,
                Access.open());
        admission = new AdmissionFilter(1 << 20, 1, 1 << 20, Duration.ofSeconds(1));
        DirectReads direct = new DirectReads(
                api,
                consumers,
                admission,
                new ApiErrorHandler(JsonMapper.builder().build()),
                (request, response) -> {
                    // stands for Spring's handler: answers 418, so a test sees which path answered
                    fullPath.incrementAndGet();
                    return response.status(418).send();
                });
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.route(direct::mayServe, direct::handle)
                        .route(request -> true, (request, response) -> {
                            fullPath.incrementAndGet();
                            return response.status(418).send();
                        }))
                .bindNow();
        client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.disposeNow();
        services.close();
        executor.shutdownNow();
        timer.shutdownNow();
        deadlines.close();
    }

    @Test
    void emptyReadIsAnsweredAsTheRouteAnswersItWithoutTheFullPath() {
        Reply reply = get(READ + "?offset=0&timeout=0");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(reply.headers().get("Content-Length")).isEqualTo("2");
        assertThat(reply.headers().get(RecordsHandler.NEXT_OFFSET_HEADER)).isEqualTo("0");
        assertThat(reply.headers().get(RecordsHandler.HIGH_WATERMARK_HEADER)).isEqualTo("0");
        assertThat(reply.headers().get(RecordsHandler.LOG_START_HEADER)).isEqualTo("0");
        assertThat(reply.body()).isEqualTo("[]");
        assertThat(fullPath).hasValue(0);
        awaitNoReadInFlight();
    }

    @Test
    void parkedReadHoldsItsAdmissionUntilTheAppendAnswersIt() throws Exception {
        CompletableFuture<Reply> parked = send(
                        HttpMethod.GET,
                        READ + "?offset=0&timeout=60000",
                        Map.of("Accept", SluiceMediaTypes.KAFKA_BINARY.toString()))
                .toFuture();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
        assertThat(admission.readsInFlight()).isEqualTo(1);

        produce("a", "b");
        Reply reply = parked.get(5, TimeUnit.SECONDS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo(SluiceMediaTypes.KAFKA_BINARY.toString());
        assertThat(reply.headers().get(RecordsHandler.NEXT_OFFSET_HEADER)).isEqualTo("2");
        assertThat(reply.headers().get(RecordsHandler.HIGH_WATERMARK_HEADER)).isEqualTo("2");
        assertThat(reply.body()).contains("\"offset\":0", "\"offset\":1", "\"value\":\"YQ==\"", "\"value\":\"Yg==\"");
        assertThat(reply.headers().getInt("Content-Length"))
                .isEqualTo(reply.body().length());
        awaitNoReadInFlight();
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void emptyBatchReadIsNoContentWithTheBounds() {
        Reply reply = send(
                        HttpMethod.GET,
                        READ + "?offset=0&timeout=0",
                        Map.of("Accept", SluiceMediaTypes.BATCHES.toString()))
                .block(Duration.ofSeconds(5));

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.headers().get("Content-Type")).isNull();
        assertThat(reply.headers().get(RecordsHandler.NEXT_OFFSET_HEADER)).isEqualTo("0");
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void failedReadIsAnsweredWithTheApiErrorBody() {
        Reply reply = get("/topics/nope/partitions/0/records?offset=0&timeout=0");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(reply.body()).isEqualTo("{\"error_code\":40401,\"message\":\"topic 'nope' not found\"}");
        assertThat(reply.headers().getInt("Content-Length"))
                .isEqualTo(reply.body().length());
        assertThat(fullPath).hasValue(0);
        awaitNoReadInFlight();
    }

    @Test
    void readTheServiceRefusesIsAnsweredWithTheApiErrorBody() {
        Reply reply = get(READ + "?offset=0&max_bytes=0");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body())
                .isEqualTo("{\"error_code\":42202,\"message\":"
                        + "\"max_bytes and max_records must be >= 1 and timeout >= 0\"}");
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void groupReadIsAnsweredWithTheInstancesRecordsAndHeadersWithoutTheFullPath() {
        joinGroup(InstanceConfig.defaults().withName("c").withAutoOffsetReset(AutoOffsetReset.EARLIEST));
        produce("a", "b");

        Reply reply = get(GROUP_READ + "?timeout=5000");

        assertThat(reply.status()).isEqualTo(200);
        // the instance's format (binary, the default) picks the media type
        assertThat(reply.headers().get("Content-Type")).isEqualTo(SluiceMediaTypes.KAFKA_BINARY.toString());
        assertThat(reply.headers().get(ConsumerRecordsHandler.GENERATION_HEADER))
                .isEqualTo("1");
        assertThat(reply.headers().get(ConsumerApi.LEASE_HEADER))
                .isEqualTo(Long.toString(coordinator.config().leaseMs()));
        assertThat(reply.headers().get(ConsumerRecordsHandler.RESET_HEADER)).isNull(); // a first position is no reset
        assertThat(reply.body()).contains("\"offset\":0", "\"offset\":1", "\"value\":\"YQ==\"", "\"value\":\"Yg==\"");
        assertThat(reply.headers().getInt("Content-Length"))
                .isEqualTo(reply.body().length());
        assertThat(get(GROUP_READ + "?timeout=0").body()).isEqualTo("[]"); // the positions moved past both
        assertThat(fullPath).hasValue(0);
        awaitNoReadInFlight();
    }

    @Test
    void groupBatchReadOfNothingIsNoContentAndAnUnknownInstanceIsTheApiError() {
        joinGroup(InstanceConfig.defaults().withName("c"));

        Reply empty = send(
                        HttpMethod.GET,
                        GROUP_READ + "?timeout=0",
                        Map.of("Accept", SluiceMediaTypes.BATCHES.toString()))
                .block(Duration.ofSeconds(5));
        Reply unknown = get("/consumers/g/instances/nobody/records?timeout=0");

        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.headers().get(ConsumerRecordsHandler.GENERATION_HEADER))
                .isEqualTo("1");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).startsWith("{\"error_code\":40403,");
        assertThat(fullPath).hasValue(0);
        awaitNoReadInFlight();
    }

    @Test
    void groupReadTheInstancesFormatCannotAnswerInIsTheApiErrorAndReadsNothing() {
        joinGroup(InstanceConfig.defaults().withName("c").withAutoOffsetReset(AutoOffsetReset.EARLIEST));
        produce("a");

        Reply refused = send(HttpMethod.GET, GROUP_READ + "?timeout=0", Map.of("Accept", "application/xml"))
                .block(Duration.ofSeconds(5));

        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.body()).startsWith("{\"error_code\":");
        assertThat(get(GROUP_READ + "?timeout=5000").body()).contains("\"value\":\"YQ==\"");
        assertThat(fullPath).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                READ + "?offset=0&timeout=0&follow=true",
                READ + "?offset=0&timeout=0&follow=false",
                READ + "?offset=x",
                READ + "?offset=%30&timeout=0",
                READ + "?offset=0&timeout=0+",
                READ + "?offset=0&timeout",
                READ + "?offset=0&timeout=",
                READ + "?offset=0&&timeout=0",
                READ + "?offset=0&timeout=0&",
                READ + "?offset=0=0",
                READ + "?=0",
                "/topics/t/partitions/x/records?offset=0",
                "/topics/t/partitions/0/records/?offset=0",
                "/topics/%74/partitions/0/records?offset=0",
                "/topics/t;v=1/partitions/0/records?offset=0",
                "/topics/t/partitions/0?offset=0",
                "/topics/t/partitions/0/records/x?offset=0",
                GROUP_READ + "?timeout=x",
                GROUP_READ + "?max_bytes=0",
                GROUP_READ + "?timeout=%30",
                "/consumers/g/instances/c/records/x",
                "/consumers/g;v=1/instances/c/records",
            })
    void requestsNotPlainlyTheReadGoDownTheFullPath(String pathAndQuery) {
        Reply reply = get(pathAndQuery);

        assertThat(reply.status()).isEqualTo(418);
        assertThat(fullPath).hasValue(1);
        awaitNoReadInFlight();
    }

    @Test
    void otherMethodsUnacceptableTypesAndCrossOriginReadsGoDownTheFullPath() {
        String read = READ + "?offset=0&timeout=0";
        List<Reply> replies = List.of(
                send(HttpMethod.HEAD, read, Map.of()).block(Duration.ofSeconds(5)),
                send(HttpMethod.POST, read, Map.of()).block(Duration.ofSeconds(5)),
                send(HttpMethod.GET, read, Map.of("Accept", "text/html")).block(Duration.ofSeconds(5)),
                send(HttpMethod.GET, read, Map.of("Accept", "bad/")).block(Duration.ofSeconds(5)),
                send(HttpMethod.GET, read, Map.of("Origin", "http://elsewhere")).block(Duration.ofSeconds(5)));

        assertThat(replies).extracting(Reply::status).containsOnly(418);
        assertThat(fullPath).hasValue(5);
    }

    @Test
    void readWhileTheReadBudgetIsFullGoesDownTheFullPathWhereItIsRefused() {
        Disposable parked =
                send(HttpMethod.GET, READ + "?offset=0&timeout=60000", Map.of()).subscribe();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);

        assertThat(get(READ + "?offset=0&timeout=0").status()).isEqualTo(418);

        parked.dispose(); // the client went away: the read leaves the service and gives its admission back
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 0);
        awaitNoReadInFlight();
        assertThat(get(READ + "?offset=0&timeout=0").status()).isEqualTo(200);
    }

    /** The read budget is given back in the answer's {@code doFinally}, just after the answer was written. */
    private void awaitNoReadInFlight() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> admission.readsInFlight() == 0);
    }

    private Reply get(String pathAndQuery) {
        return send(HttpMethod.GET, pathAndQuery, Map.of()).block(Duration.ofSeconds(5));
    }

    private Mono<Reply> send(HttpMethod method, String pathAndQuery, Map<String, String> headers) {
        return client.headers(h -> headers.forEach(h::set))
                .request(method)
                .uri(pathAndQuery)
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> new Reply(response.status().code(), response.responseHeaders(), text)));
    }

    private record Reply(int status, HttpHeaders headers, String body) {}

    private void joinGroup(InstanceConfig instance) {
        coordinator.createInstance("g", instance);
        coordinator.subscribe("g", instance.name(), Subscription.topics(List.of("t")));
    }

    private void produce(String... values) {
        List<ProduceRecord> records = java.util.Arrays.stream(values)
                .map(value -> new ProduceRecord(null, value.getBytes(), 0, List.of(), null))
                .toList();
        new ProduceService(services.topics, services.clock, services.metrics)
                .produce("t", OptionalInt.empty(), records, Optional.empty());
    }
}
