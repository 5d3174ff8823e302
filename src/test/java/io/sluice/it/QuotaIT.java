package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas measured against a real server process: clients that ask as fast as they can get what the quota allows over
 * a few seconds (burst plus rate × time, within a tolerance), and every refusal is a 429 with Retry-After and a JSON
 * error. The unauthenticated principal {@code anonymous} gets an override, so overrides are checked too.
 */
class QuotaIT {

    private static final int REQUESTS_PER_SECOND = 40;
    private static final int PRODUCE_BYTES_PER_SECOND = 64 * 1024;
    private static final int READ_BYTES_PER_SECOND = 64 * 1024;
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final int CLIENTS = 4;

    @TempDir
    static Path dataDir;

    private static SluiceProcess server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        server = new SluiceProcess(
                dataDir,
                "--sluice.quota.requests-per-second=1000",
                "--sluice.quota.principals.anonymous.requests-per-second=" + REQUESTS_PER_SECOND,
                "--sluice.quota.principals.anonymous.produce-bytes-per-second=" + PRODUCE_BYTES_PER_SECOND + "B",
                "--sluice.quota.principals.anonymous.read-bytes-per-second=" + READ_BYTES_PER_SECOND + "B");
        api = server.start();
        api.postJson("/topics", "{\"name\":\"metered\",\"partitions\":1}").expect(201);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void requestsPerSecondMatchTheQuota() throws Exception {
        waitForFullBuckets();
        long admitted = hammer(() -> api.get("/topics"), response -> 1);
        assertNearQuota("requests", admitted, REQUESTS_PER_SECOND);
    }

    @Test
    void produceBytesPerSecondMatchTheQuota() throws Exception {
        waitForFullBuckets();
        byte[] body = ("{\"records\":[{\"value\":\"" + "p".repeat(4000) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        long admitted =
                hammer(() -> api.send("POST", "/topics/metered", "application/json", body), response -> body.length);
        // one request per client may overdraw the quota by its own size: the bucket is charged once admitted
        assertNearQuota("produce bytes", admitted, PRODUCE_BYTES_PER_SECOND, CLIENTS * body.length);
    }

    @Test
    void readBytesPerSecondMatchTheQuota() throws Exception {
        byte[] body = ("{\"records\":[" + "{\"value\":\"r\"},".repeat(999) + "{\"value\":\"r\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20; i++) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> api.send("POST", "/topics/metered/partitions/0", "application/json", body)
                                    .status()
                            == 200);
        }
        waitForFullBuckets();
        long admitted = hammer(
                () -> api.get("/topics/metered/partitions/0/records?offset=0&max_bytes=8192"),
                response -> response.body().length);
        assertNearQuota("read bytes", admitted, READ_BYTES_PER_SECOND, CLIENTS * 16_384L);
    }

    @Test
    void aRefusalIsA429WithRetryAfterAndAJsonError() {
        ApiClient.Response refused = null;
        for (int i = 0; i < 10 * REQUESTS_PER_SECOND && refused == null; i++) {
            ApiClient.Response response = api.get("/topics");
            if (response.status() == 429) {
                refused = response;
            }
        }
        assertThat(refused).as("a 429 within 10 s worth of requests").isNotNull();
        assertThat(refused.expectError(429, 42901)).contains("quota exceeded for principal 'anonymous'");
        assertThat(Integer.parseInt(refused.headers().get("retry-after").get(0)))
                .isBetween(1, 2);
        assertThat(api.get("/actuator/health").status())
                .as("health is never metered")
                .isEqualTo(200);
    }

    /** Lets every bucket refill (bursts are 1 s) so each measurement starts from the same state. */
    private static void waitForFullBuckets() {
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        Awaitility.await().pollInterval(Duration.ofMillis(50)).until(() -> System.nanoTime() >= until);
    }

    /** CLIENTS threads send as fast as they can for WINDOW; returns the admitted units. Only 200 and 429 are allowed. */
    private static long hammer(
            java.util.function.Supplier<ApiClient.Response> request, ToLongFunction<ApiClient.Response> units)
            throws Exception {
        AtomicLong admitted = new AtomicLong();
        long end = System.nanoTime() + WINDOW.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        ApiClient.Response response = request.get();
                        assertThat(response.status()).as(response.text()).isIn(200, 429);
                        if (response.status() == 200) {
                            admitted.addAndGet(units.applyAsLong(response));
                        } else {
                            assertThat(response.headers()).containsKey("retry-after");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdown();
        }
        return admitted.get();
    }

    private static void assertNearQuota(String what, long admitted, long perSecond) {
        assertNearQuota(what, admitted, perSecond, 0);
    }

    /** Admitted within [0.7, 1.15] × (burst + rate × window) + overdraw. */
    private static void assertNearQuota(String what, long admitted, long perSecond, long overdraw) {
        double expected = perSecond * (1 + WINDOW.toMillis() / 1000.0);
        System.out.printf(
                "QuotaIT %s: admitted %d in %s at %d/s (expected ~%.0f incl. 1 s burst, rate observed %.0f/s)%n",
                what, admitted, WINDOW, perSecond, expected, (admitted - perSecond) / (WINDOW.toMillis() / 1000.0));
        assertThat((double) admitted).as(what).isBetween(expected * 0.7, expected * 1.15 + overdraw);
    }
}
