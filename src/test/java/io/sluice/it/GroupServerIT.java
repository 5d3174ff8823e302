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

/**
 * Base of the consumer-group integration tests that need fast time: a 3 s instance lease checked every 100 ms and
 * retention checked every 200 ms, large request bodies for bulk produce. One server shared by the subclasses.
 */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sluice.http.max-request-size=16MB",
            "sluice.fetch.max-records=5000",
            "sluice.consumer.lease=3s",
            "sluice.consumer.tick-interval=100ms",
            "sluice.consumer.max-wait=5s",
            "sluice.storage.retention-check-interval=200ms"
        })
abstract class GroupServerIT {

    private static final Path DATA_DIR = tempDir();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @LocalServerPort
    int port;

    ApiClient api;
    Consumers consumers;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
        consumers = new Consumers(api);
    }

    static String name(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    String createTopic(String prefix, int partitions, String configsJson) {
        String topic = name(prefix);
        api.postJson(
                        "/topics",
                        "{\"name\":\"" + topic + "\",\"partitions\":" + partitions + ",\"configs\":" + configsJson
                                + "}")
                .expect(201);
        return topic;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-group-it-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
