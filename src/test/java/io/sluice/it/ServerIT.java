package io.sluice.it;

import io.sluice.app.SluiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.blockhound.BlockHound;

/**
 * Base of the integration tests that share one real server (random port, fresh data dir): every subclass has the same
 * configuration, so Spring's test context cache starts the server once per test run. Tests use their own topics.
 * BlockHound watches the server's event loops throughout.
 */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sluice.http.max-request-size=256KB",
            "sluice.http.body-timeout=2s",
            "server.netty.idle-timeout=15s",
            "sluice.fetch.max-wait=3s",
            "sluice.fetch.max-records=500",
            "sluice.storage.threads=8"
        })
abstract class ServerIT {

    static {
        // Any blocking call on a Netty event loop or a Reactor non-blocking thread fails the request (and the test).
        BlockHound.install();
    }

    private static final Path DATA_DIR = tempDir();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @LocalServerPort
    int port;

    ApiClient api;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    static Path dataDir() {
        return DATA_DIR;
    }

    /** A topic name no other test uses. */
    static String topicName(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet();
    }

    /** Creates a topic and returns its name. */
    String createTopic(String prefix, int partitions, String configsJson) {
        String name = topicName(prefix);
        api.postJson(
                        "/topics",
                        "{\"name\":\"" + name + "\",\"partitions\":" + partitions + ",\"configs\":" + configsJson + "}")
                .expect(201);
        return name;
    }

    String createTopic(String prefix, int partitions) {
        return createTopic(prefix, partitions, "{}");
    }

    /** Waits until the server reports a parked long-poll read (sluice_fetch_waiting above 0). */
    void awaitWaitingRead() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> api.get("/actuator/prometheus")
                        .text()
                        .lines()
                        .anyMatch(line -> line.startsWith("sluice_fetch_waiting") && !line.endsWith(" 0.0")));
    }

    /**
     * A new one-partition topic holding two one-record batches ("first" at offset 0, "second" at 1) whose second
     * batch was then damaged on disk: bits flipped inside its value, which its CRC covers.
     */
    String topicWithDamagedSecondBatch(String prefix) throws java.io.IOException {
        String topic = createTopic(prefix, 1);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":\"first\"}]}")
                .expect(200);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":\"second\"}]}")
                .expect(200);
        Path segment = dataDir().resolve("logs").resolve(topic + "-0").resolve("00000000000000000000.log");
        byte[] bytes = java.nio.file.Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x55;
        java.nio.file.Files.write(segment, bytes);
        return topic;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-it-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
