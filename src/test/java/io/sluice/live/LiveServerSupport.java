package io.sluice.live;

import io.sluice.app.SluiceApplication;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.produce.RecordOffset;
import io.sluice.topic.TopicService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.blockhound.BlockHound;

/**
 * A real Sluice server on a random port over a fresh data directory, shared by the live-stream ITs (one Spring
 * context for all of them, so they use distinct topic names), watched by BlockHound. The slow-client timeout is short
 * so the slow-client test runs in seconds.
 */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sluice.ws.slow-client-timeout=2s", "sluice.sse.keep-alive=1s", "sluice.stats.interval=500ms"})
abstract class LiveServerSupport {

    static {
        // As in the other server ITs: a blocking call on a Netty event loop or a non-blocking Reactor thread fails.
        BlockHound.install();
    }

    private static final Path DATA_DIR = tempDir();

    @LocalServerPort
    protected int port;

    @Autowired
    protected TopicService topics;

    @Autowired
    protected ProduceService produce;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
    }

    protected void createTopic(String name, int partitions) {
        topics.create(name, partitions, 1, Map.of());
    }

    /** Produces {@code count} records with values {@code "<prefix>-<i>"} to the given partition. */
    protected List<RecordOffset> produce(String topic, int partition, String prefix, int count) {
        return produceValues(produce, topic, partition, prefix, count);
    }

    /** Shared with {@link SecureServerSupport}: {@code count} JSON string values {@code "<prefix>-<i>"}. */
    static List<RecordOffset> produceValues(
            ProduceService produce, String topic, int partition, String prefix, int count) {
        List<ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProduceRecord(
                    null,
                    ("\"" + prefix + "-" + i + "\"").getBytes(StandardCharsets.UTF_8),
                    partition,
                    List.of(),
                    null));
        }
        return produce.produce(topic, OptionalInt.empty(), records, Optional.empty());
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-live-it");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
