package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.fetch.FetchService;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.topic.ServicesFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

class DirectReadsTest {

    private static final String READ = "/topics/t/partitions/0/records";

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final DeadlineTimer deadlines = new DeadlineTimer("deadlines", Clock.system(), 5);
    private final AtomicInteger fullPath = new AtomicInteger();
    /** Stands for WebFlux's handler: answers 418, so a test sees which path answered. */
    private final HttpHandler full = (request, response) -> {
        fullPath.incrementAndGet();
        response.setStatusCode(HttpStatus.I_AM_A_TEAPOT);
        return response.setComplete();
    };

    private ServicesFixture services;
    private FetchService fetch;
    private AdmissionFilter admission;
    private HttpHandler handler;

    @BeforeEach
    void start() {
        services = new ServicesFixture(dir);
        services.topics.create("t", 1, 1, Map.of());
        fetch = new FetchService(services.topics, executor, deadlines, services.clock, services.metrics, 60_000);
        services.logs.addListener(fetch);
        HttpApi api = new HttpApi(
                services.topics,
                new ProduceService(services.topics, services.clock, services.metrics),
                fetch,
                JsonMapper.builder().build(),
                Schedulers.fromExecutor(executor),
                new HttpApi.Settings(1 << 20, Duration.ofSeconds(5), 1, Duration.ofSeconds(30), 1 << 20, 1000),
                Access.open());
        admission = new AdmissionFilter(1 << 20, 1, 1 << 20, Duration.ofSeconds(1));
        handler = new DirectReads(
                        api, admission, new ApiErrorHandler(JsonMapper.builder().build()))
                .decorate(full);
    }

    @AfterEach
    void stop() {
        services.close();
        executor.shutdownNow();
        deadlines.close();
    }

    @Test
    void emptyReadIsAnsweredAsTheRouteAnswersItWithoutTheFullPath() {
        MockServerHttpResponse response = send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0"));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(response.getHeaders().getContentLength()).isEqualTo(2);
        assertThat(response.getHeaders().getFirst(RecordsHandler.NEXT_OFFSET_HEADER))
                .isEqualTo("0");
        assertThat(response.getHeaders().getFirst(RecordsHandler.HIGH_WATERMARK_HEADER))
                .isEqualTo("0");
        assertThat(response.getHeaders().getFirst(RecordsHandler.LOG_START_HEADER))
                .isEqualTo("0");
        assertThat(response.getBodyAsString().block()).isEqualTo("[]");
        assertThat(fullPath).hasValue(0);
        awaitNoReadInFlight();
    }

    @Test
    void parkedReadHoldsItsAdmissionUntilTheAppendAnswersIt() throws Exception {
        MockServerHttpResponse response = new MockServerHttpResponse();
        CompletableFuture<Void> done = handler.handle(
                        MockServerHttpRequest.get(READ + "?offset=0&timeout=60000")
                                .accept(SluiceMediaTypes.KAFKA_BINARY)
                                .build(),
                        response)
                .toFuture();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
        assertThat(admission.readsInFlight()).isEqualTo(1);

        produce("a", "b");
        done.get(5, TimeUnit.SECONDS);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isEqualTo(SluiceMediaTypes.KAFKA_BINARY);
        assertThat(response.getHeaders().getFirst(RecordsHandler.NEXT_OFFSET_HEADER))
                .isEqualTo("2");
        assertThat(response.getHeaders().getFirst(RecordsHandler.HIGH_WATERMARK_HEADER))
                .isEqualTo("2");
        String body = response.getBodyAsString().block();
        assertThat(body).contains("\"offset\":0", "\"offset\":1", "\"value\":\"YQ==\"", "\"value\":\"Yg==\"");
        assertThat(response.getHeaders().getContentLength()).isEqualTo(body.length());
        // given back when the exchange ends, just after the answer was written
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> admission.readsInFlight() == 0);
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void emptyBatchReadIsNoContentWithTheBounds() {
        MockServerHttpResponse response =
                send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0").accept(SluiceMediaTypes.BATCHES));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(response.getHeaders().getContentType()).isNull();
        assertThat(response.getHeaders().getFirst(RecordsHandler.NEXT_OFFSET_HEADER))
                .isEqualTo("0");
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void failedReadIsAnsweredWithTheApiErrorBody() {
        MockServerHttpResponse response =
                send(MockServerHttpRequest.get("/topics/nope/partitions/0/records?offset=0&timeout=0"));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(response.getBodyAsString().block())
                .isEqualTo("{\"error_code\":40401,\"message\":\"topic 'nope' not found\"}");
        assertThat(fullPath).hasValue(0);
        awaitNoReadInFlight();
    }

    @Test
    void readTheServiceRefusesIsAnsweredWithTheApiErrorBody() {
        MockServerHttpResponse response = send(MockServerHttpRequest.get(READ + "?offset=0&max_bytes=0"));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(response.getBodyAsString().block())
                .isEqualTo("{\"error_code\":42202,\"message\":"
                        + "\"max_bytes and max_records must be >= 1 and timeout >= 0\"}");
        assertThat(fullPath).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                READ + "?offset=0&timeout=0&follow=true",
                READ + "?offset=0&timeout=0&follow=false",
                READ + "?offset=x",
                "/topics/t/partitions/x/records?offset=0",
                "/topics/t/partitions/0/records/?offset=0",
                "/topics/%74/partitions/0/records?offset=0",
                "/topics/t;v=1/partitions/0/records?offset=0",
                "/topics/t/partitions/0?offset=0",
            })
    void requestsNotPlainlyTheReadGoDownTheFullPath(String pathAndQuery) {
        MockServerHttpResponse response = send(MockServerHttpRequest.get(pathAndQuery));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.I_AM_A_TEAPOT);
        assertThat(fullPath).hasValue(1);
        awaitNoReadInFlight();
    }

    @Test
    void otherMethodsUnacceptableTypesAndCrossOriginReadsGoDownTheFullPath() {
        send(MockServerHttpRequest.head(READ + "?offset=0&timeout=0"));
        send(MockServerHttpRequest.post(READ + "?offset=0&timeout=0"));
        send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0").accept(MediaType.TEXT_HTML));
        send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0").header("Accept", "bad/"));
        send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0").header("Origin", "http://elsewhere"));

        assertThat(fullPath).hasValue(5);
    }

    @Test
    void readWhileTheReadBudgetIsFullGoesDownTheFullPathWhereItIsRefused() throws Exception {
        MockServerHttpResponse parkedResponse = new MockServerHttpResponse();
        var parked = handler.handle(
                        MockServerHttpRequest.get(READ + "?offset=0&timeout=60000")
                                .build(),
                        parkedResponse)
                .subscribe();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);

        MockServerHttpResponse second = send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0"));
        assertThat(second.getStatusCode()).isEqualTo(HttpStatus.I_AM_A_TEAPOT);

        parked.dispose(); // the client went away: the read leaves the service and gives its admission back
        assertThat(fetch.waitingReads()).isZero();
        awaitNoReadInFlight();
        assertThat(send(MockServerHttpRequest.get(READ + "?offset=0&timeout=0")).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    /**
     * The read budget is given back in the answer's {@code doFinally}, which runs after the completion has reached the
     * caller (on the thread that completed the read), so the caller may see the answer a moment before it.
     */
    private void awaitNoReadInFlight() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> admission.readsInFlight() == 0);
    }

    private MockServerHttpResponse send(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        handler.handle(request.build(), response).block(Duration.ofSeconds(5));
        return response;
    }

    private void produce(String... values) {
        List<ProduceRecord> records = java.util.Arrays.stream(values)
                .map(value -> new ProduceRecord(null, value.getBytes(), 0, List.of(), null))
                .toList();
        new ProduceService(services.topics, services.clock, services.metrics)
                .produce("t", OptionalInt.empty(), records, Optional.empty());
    }
}
