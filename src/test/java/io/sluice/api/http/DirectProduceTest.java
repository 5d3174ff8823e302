package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.FetchedRecord;
import io.sluice.fetch.StoredRecords;
import io.sluice.produce.ProduceService;
import io.sluice.topic.ServicesFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The direct produce route on a real Reactor Netty server over real logs, with a stand-in for Spring's handler behind
 * it (answering 418, so a test sees which path answered).
 */
class DirectProduceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ONE_RECORD = "{\"records\":[{\"key\":\"k\",\"value\":{\"n\":1}}]}";

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final DeadlineTimer deadlines = new DeadlineTimer("deadlines", Clock.system(), 5);
    private final AtomicInteger fullPath = new AtomicInteger();

    private ServicesFixture services;
    private AdmissionFilter admission;
    private DisposableServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        services = new ServicesFixture(dir);
        services.topics.create("t", 3, 1, Map.of());
        FetchService fetch =
                new FetchService(services.topics, executor, deadlines, services.clock, services.metrics, 60_000);
        HttpApi api = new HttpApi(
                services.topics,
                new ProduceService(services.topics, services.clock, services.metrics),
                fetch,
                JSON,
                Schedulers.fromExecutor(executor),
                new HttpApi.Settings(1_000, Duration.ofSeconds(5), 1, Duration.ofSeconds(30), 1 << 20, 1000),
                Access.open());
        // room for one body of up to 500 bytes in flight
        admission = new AdmissionFilter(500, 10, 1_000, Duration.ofSeconds(1));
        DirectProduce direct = new DirectProduce(api, admission, new ApiErrorHandler(JSON), this::fullPath);
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.route(direct::mayServe, direct::handle).route(request -> true, this::fullPath))
                .bindNow();
        client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
    }

    private Mono<Void> fullPath(HttpServerRequest request, HttpServerResponse response) {
        fullPath.incrementAndGet();
        // drains the body as Spring's handler would, then answers 418
        return request.receive().then(response.status(418).send());
    }

    @AfterEach
    void stop() {
        server.disposeNow();
        services.close();
        executor.shutdownNow();
        deadlines.close();
    }

    @Test
    void aJsonProduceIsAppendedAndAnsweredWithItsOffsetsWithoutTheFullPath() {
        Reply reply = post("/topics/t/partitions/2", ONE_RECORD, Map.of("Content-Type", "application/json"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(reply.headers().getInt("Content-Length"))
                .isEqualTo(reply.body().length());
        JsonNode offsets = JSON.readTree(reply.body()).get("offsets");
        assertThat(offsets.get(0).get("partition").intValue()).isEqualTo(2);
        assertThat(offsets.get(0).get("offset").longValue()).isZero();
        List<FetchedRecord> stored = storedIn(2);
        assertThat(stored).hasSize(1);
        assertThat(new String(stored.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("\"k\"");
        assertThat(new String(stored.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsStoredOnce() {
        Map<String, String> headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "order-7");

        Reply first = post("/topics/t/partitions/0", ONE_RECORD, headers);
        Reply retry = post("/topics/t/partitions/0", ONE_RECORD, headers);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(storedIn(0)).hasSize(1);
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void theAnswerTypeIsNegotiatedFromAccept() {
        Reply reply = post(
                "/topics/t",
                ONE_RECORD,
                Map.of(
                        "Content-Type",
                        "application/vnd.kafka.json.v2+json",
                        "Accept",
                        "application/vnd.kafka.v2+json"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo(SluiceMediaTypes.KAFKA_V2.toString());
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void errorsAreTheApiErrorsWithTheirCodes() {
        Reply unknown = post("/topics/nope", ONE_RECORD, Map.of("Content-Type", "application/json"));
        Reply malformed = post("/topics/t", "{\"records\":[", Map.of("Content-Type", "application/json"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error_code").intValue()).isEqualTo(40401);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("message").stringValue()).isNotBlank();
        assertThat(fullPath).hasValue(0);
        assertThat(storedIn(0)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notPlain")
    void requestsTheRouteDoesNotTakeGoToTheFullPathUntouched(String label, String path, Map<String, String> headers) {
        Reply reply = post(path, ONE_RECORD, headers);

        assertThat(reply.status()).isEqualTo(418);
        assertThat(fullPath).hasValue(1);
        assertThat(storedIn(0)).isEmpty();
    }

    static Stream<Arguments> notPlain() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        return Stream.of(
                Arguments.of("ndjson", "/topics/t/partitions/0", Map.of("Content-Type", "application/x-ndjson")),
                Arguments.of("raw", "/topics/t/partitions/0", Map.of("Content-Type", "application/octet-stream")),
                Arguments.of("a wildcard type", "/topics/t/partitions/0", Map.of("Content-Type", "*/*")),
                Arguments.of("a query", "/topics/t/partitions/0?key=a", json),
                Arguments.of("an escaped path", "/topics/%74/partitions/0", json),
                Arguments.of("another path", "/topics/t/partitions/0/records", json),
                Arguments.of("cross-origin", "/topics/t/partitions/0", with(json, "Origin", "http://x")),
                Arguments.of("an empty idempotency key", "/topics/t/partitions/0", with(json, "Idempotency-Key", " ")),
                Arguments.of("an answer type not offered", "/topics/t/partitions/0", with(json, "Accept", "text/csv")),
                Arguments.of("a partition that is no number", "/topics/t/partitions/x", json));
    }

    @Test
    void aBodyWithoutALengthOrBeyondTheBudgetGoesToTheFullPath() {
        Reply chunked =
                send("/topics/t/partitions/0", Flux.just(ONE_RECORD), Map.of("Content-Type", "application/json"));
        assertThat(admission.tryAdmitProduce(480)).isTrue(); // another body in flight
        Reply beyondBudget = post("/topics/t/partitions/0", ONE_RECORD, Map.of("Content-Type", "application/json"));
        admission.releaseProduce(480);

        assertThat(chunked.status()).isEqualTo(418);
        assertThat(beyondBudget.status()).isEqualTo(418);
        assertThat(fullPath).hasValue(2);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return more;
    }

    private List<FetchedRecord> storedIn(int partition) {
        var log = services.topics.log("t", partition);
        return StoredRecords.of(log.read(0, 1 << 20).verifiedBatches(), 0, 100).decode();
    }

    /** With its Content-Length, as clients send a body they hold whole. */
    private Reply post(String path, String body, Map<String, String> headers) {
        Map<String, String> withLength =
                with(headers, "Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        return send(path, Mono.just(body), withLength);
    }

    private Reply send(String path, Publisher<String> body, Map<String, String> headers) {
        return client.headers(h -> headers.forEach(h::set))
                .request(HttpMethod.POST)
                .uri(path)
                .send(ByteBufFlux.fromString(body))
                .responseSingle((response, text) -> text.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(t -> new Reply(response.status().code(), response.responseHeaders(), t)))
                .block(Duration.ofSeconds(5));
    }

    private record Reply(int status, HttpHeaders headers, String body) {}
}
