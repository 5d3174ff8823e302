package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.sluice.common.ManualClock;
import io.sluice.quota.QuotaLimits;
import io.sluice.quota.QuotaManager;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The quota filter over a tiny router, without a server: who is counted, what is charged, what a refusal looks like. */
class QuotaFilterTest {

    private static final String READ = "/topics/t/partitions/0/records";
    private static final String EVENTS = "/topics/t/events";
    private static final String KB = "k".repeat(1000);

    private final ManualClock clock = new ManualClock();

    /** Stands in for Spring Security: the X-User header becomes the exchange's authenticated principal. */
    private static final WebFilter AUTHENTICATE = (exchange, chain) -> {
        String user = exchange.getRequest().getHeaders().getFirst("X-User");
        Principal principal = () -> user;
        return user == null
                ? chain.filter(exchange)
                : chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
    };

    private WebTestClient client(QuotaLimits defaults, Map<String, QuotaLimits> overrides) {
        RouterFunction<ServerResponse> routes = route(
                        GET("/topics"), r -> ServerResponse.ok().bodyValue("[]"))
                .andRoute(GET(READ), r -> ServerResponse.ok().bodyValue("r".repeat(1000)))
                .andRoute(
                        POST("/topics/t"),
                        r -> r.bodyToMono(String.class)
                                .flatMap(body -> ServerResponse.ok().bodyValue("{}")))
                .andRoute(GET("/actuator/health"), r -> ServerResponse.ok().bodyValue("UP"))
                .andRoute(GET(EVENTS), r -> ServerResponse.ok().body(Flux.just(KB, KB, KB), String.class));
        QuotaManager quotas = new QuotaManager(clock, defaults, overrides, Duration.ofSeconds(1));
        return RouterClients.bind(routes, AUTHENTICATE, new QuotaFilter(quotas)).build();
    }

    @Test
    void eachAuthenticatedPrincipalAndAnonymousHaveTheirOwnRequestQuota() {
        WebTestClient client = client(new QuotaLimits(0, 0, 1), Map.of());
        client.get()
                .uri("/topics")
                .header("X-User", "alice")
                .exchange()
                .expectStatus()
                .isOk();
        client.get()
                .uri("/topics")
                .header("X-User", "alice")
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(42901)
                .jsonPath("$.message")
                .value(message -> org.assertj.core.api.Assertions.assertThat((String) message)
                        .contains("'alice'"));
        client.get()
                .uri("/topics")
                .header("X-User", "bob")
                .exchange()
                .expectStatus()
                .isOk();
        client.get().uri("/topics").exchange().expectStatus().isOk();
        client.get().uri("/topics").exchange().expectStatus().isEqualTo(429);
        clock.advanceMillis(1000);
        client.get()
                .uri("/topics")
                .header("X-User", "alice")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void readAnswersAreChargedAndTheDebtIsTheRetryAfter() {
        WebTestClient client = client(new QuotaLimits(0, 250, 0), Map.of());
        client.get().uri(READ).exchange().expectStatus().isOk();
        // 1,000 bytes at 250/s with a 1 s burst: 3 s to wait
        client.get()
                .uri(READ)
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals("Retry-After", "3");
        client.get().uri("/topics").exchange().expectStatus().isOk();
        clock.advanceMillis(3000);
        client.get().uri(READ).exchange().expectStatus().isOk();
    }

    @Test
    void produceBodiesAreChargedToTheirPrincipalOnly() {
        WebTestClient client = client(QuotaLimits.UNLIMITED, Map.of("loader", new QuotaLimits(100, 0, 0)));
        String body = "p".repeat(500);
        client.post()
                .uri("/topics/t")
                .header("X-User", "loader")
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/topics/t")
                .header("X-User", "loader")
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals("Retry-After", "4");
        client.post()
                .uri("/topics/t")
                .header("X-User", "other")
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/topics/t")
                .header("X-User", "other")
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void aStreamedAnswerIsSlowedToTheReadQuota() {
        WebTestClient client = client(new QuotaLimits(0, 1000, 0), Map.of());
        long start = System.nanoTime();
        String body = client.get()
                .uri(EVENTS)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        // 1 s of burst covers two buffers; the third waits for the second's debt (the manual clock stands still)
        assertThat(body).hasSize(3000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
    }

    @Test
    void aStreamedProduceBodyIsSlowedToTheProduceQuota() {
        WebTestClient client = client(new QuotaLimits(1000, 0, 0), Map.of());
        long start = System.nanoTime();
        client.post()
                .uri("/topics/t")
                .body(Flux.just(KB, KB, KB), String.class)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
    }

    @Test
    void theActuatorIsNeverLimited() {
        WebTestClient client = client(new QuotaLimits(0, 0, 1), Map.of());
        for (int i = 0; i < 20; i++) {
            client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        }
    }
}
