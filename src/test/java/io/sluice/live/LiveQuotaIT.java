package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.SluiceApplication;
import io.sluice.produce.ProduceService;
import io.sluice.topic.TopicService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.blockhound.BlockHound;
import tools.jackson.databind.JsonNode;

/**
 * Quotas over WebSocket, measured like {@code QuotaIT}: a client producing as fast as it can over one socket gets its
 * produce frames answered at the principal's produce-bytes rate, and a subscriber to a long backlog receives records
 * at the principal's read-bytes rate (burst plus rate × time, within a tolerance). Over quota the socket is paced, not
 * refused: no error frame, nothing lost. Security is off, so the principal is {@code anonymous}, whose quotas are set
 * by an override.
 */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sluice.quota.principals.anonymous.produce-bytes-per-second=" + LiveQuotaIT.BYTES_PER_SECOND + "B",
            "sluice.quota.principals.anonymous.read-bytes-per-second=" + LiveQuotaIT.BYTES_PER_SECOND + "B"
        })
class LiveQuotaIT {

    static final int BYTES_PER_SECOND = 64 * 1024;
    private static final Duration WINDOW = Duration.ofSeconds(3);

    static {
        BlockHound.install();
    }

    private static final Path DATA_DIR = tempDir();

    @LocalServerPort
    int port;

    @Autowired
    TopicService topics;

    @Autowired
    ProduceService produce;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
    }

    @Test
    void produceFramesArePacedToTheProduceQuota() {
        topics.create("ws-metered-in", 1, 1, Map.of());
        String frame =
                "{\"op\":\"produce\",\"correlation_id\":\"c\",\"topic\":\"ws-metered-in\",\"records\":[{\"value\":\""
                        + "p".repeat(4000) + "\"}]}";
        try (WsTestClient client = WsTestClient.connect(port)) {
            // connected and the topic's log open before the window starts (a tiny produce: ~100 B of the quota)
            client.send(
                    "{\"op\":\"produce\",\"correlation_id\":\"w\",\"topic\":\"ws-metered-in\",\"records\":[{\"value\":0}]}");
            client.await("produced", null);
            long start = System.nanoTime();
            // far more than the quota allows in the window: the server must hold the socket back
            for (int i = 0; i < 400; i++) {
                client.send(frame);
            }
            List<JsonNode> answered = client.receiveUntil(start + WINDOW.toNanos());

            assertThat(answered).allMatch(f -> f.path("type").asString().equals("produced"), "only produced frames");
            assertNearQuota("produce bytes", (long) answered.size() * frame.length(), frame.length());
            // paced, not dropped: the rest is still answered, in order (offset 0 was the warm-up)
            assertThat(client.await("produced", null)
                            .path("offsets")
                            .get(0)
                            .path("offset")
                            .asLong())
                    .isEqualTo(answered.size() + 1);
        }
    }

    @Test
    void recordsSentToASubscriberArePacedToTheReadQuota() {
        topics.create("ws-metered-out", 1, 1, Map.of());
        for (int batch = 0; batch < 20; batch++) {
            LiveServerSupport.produceValues(produce, "ws-metered-out", 0, "r".repeat(1000), 100);
        }
        try (WsTestClient client = WsTestClient.connect(port)) {
            // connected before the window starts: one round trip
            client.send("{\"op\":\"unsubscribe\",\"id\":\"none\"}");
            client.await("error", null);
            long start = System.nanoTime();
            client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"ws-metered-out\",\"from\":\"earliest\","
                    + "\"max_records\":8}");
            List<JsonNode> received = client.receiveUntil(start + WINDOW.toNanos());

            long bytes = received.stream()
                    .filter(f -> f.path("type").asString().equals("records"))
                    .mapToLong(f -> f.toString().length())
                    .sum();
            assertThat(received).noneMatch(f -> f.path("type").asString().equals("error"));
            // the overdraw: one frame of at most 8 records of about 1 KB beyond the quota
            assertNearQuota("read bytes", bytes, 16 * 1024);
        }
    }

    /** Within [0.7, 1.15] × (burst + rate × window) + overdraw, as in QuotaIT. */
    private static void assertNearQuota(String what, long admitted, long overdraw) {
        double expected = BYTES_PER_SECOND * (1 + WINDOW.toMillis() / 1000.0);
        System.out.printf(
                "LiveQuotaIT %s: %d in %s at %d/s (expected ~%.0f incl. 1 s burst)%n",
                what, admitted, WINDOW, BYTES_PER_SECOND, expected);
        assertThat((double) admitted).as(what).isBetween(expected * 0.7, expected * 1.15 + overdraw);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-live-quota-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
