package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The in-flight bounds over a tiny router whose handlers answer only when the test says so. */
class AdmissionFilterTest {

    private static final String READ = "/topics/t/partitions/0/records";

    private final Sinks.Empty<Void> release = Sinks.empty();
    private final AdmissionFilter admission = new AdmissionFilter(1000, 2, 800, Duration.ofSeconds(2));
    private final WebTestClient client;

    AdmissionFilterTest() {
        Mono<ServerResponse> held = release.asMono().then(ServerResponse.ok().bodyValue("done"));
        RouterFunction<ServerResponse> routes = route(
                        POST("/topics/t"),
                        r -> r.bodyToMono(String.class)
                                .flatMap(body -> body.startsWith("hold")
                                        ? held
                                        : ServerResponse.ok().bodyValue("ok")))
                .andRoute(GET(READ), r -> held)
                .andRoute(GET("/topics"), r -> ServerResponse.ok().bodyValue("[]"));
        client = RouterClients.bind(routes, admission)
                .configureClient()
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Test
    void produceBytesInFlightAreBoundedAndGivenBack() {
        var held = inBackground(() -> client.post()
                .uri("/topics/t")
                .bodyValue("hold" + "x".repeat(596))
                .exchange());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admission.produceBytesInFlight() == 600);
        client.post()
                .uri("/topics/t")
                .bodyValue("y".repeat(300))
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/topics/t")
                .bodyValue("z".repeat(500))
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals("Retry-After", "2")
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(42901);
        release.tryEmitEmpty();
        held.join().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admission.produceBytesInFlight() == 0);
        client.post()
                .uri("/topics/t")
                .bodyValue("z".repeat(500))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void readsInFlightAreBoundedWhileOtherRequestsPass() {
        var first = inBackground(() -> client.get().uri(READ).exchange());
        var second = inBackground(() -> client.get().uri(READ).exchange());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admission.readsInFlight() == 2);
        client.get()
                .uri(READ)
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists("Retry-After");
        client.get().uri("/topics").exchange().expectStatus().isOk();
        release.tryEmitEmpty();
        first.join().expectStatus().isOk();
        second.join().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admission.readsInFlight() == 0);
    }

    /** exchange() waits for the answer, so requests the test holds open run on another thread. */
    private static CompletableFuture<WebTestClient.ResponseSpec> inBackground(
            Supplier<WebTestClient.ResponseSpec> request) {
        return CompletableFuture.supplyAsync(request);
    }
}
