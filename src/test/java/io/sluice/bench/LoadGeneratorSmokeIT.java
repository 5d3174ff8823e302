package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.SluiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the benchmark's load generator for a couple of seconds against a real server and checks that what it
 * counted as produced is what it reads back, value bytes included.
 */
@SpringBootTest(classes = SluiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoadGeneratorSmokeIT {

    // Not deleted after the tests: Spring keeps the server (and its housekeeping) alive until the JVM exits.
    private static final Path DATA_DIR = tempDir();

    @LocalServerPort
    int port;

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-bench-it-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
    }

    @Test
    void everyProducedRecordIsReadBackInEachFormat() {
        try (SluiceHttp http = new SluiceHttp("http://127.0.0.1:" + port, 8)) {
            for (BodyFormat format : BodyFormat.values()) {
                String topic = "smoke-" + format.name().toLowerCase(java.util.Locale.ROOT);
                http.createTopic(topic, 3);
                ProduceWorkload.Outcome produced = new ProduceWorkload(http, format, 100).run(topic, 3, 20_000, 700, 4);
                // Values sent as base64 are stored as their raw bytes, which are not JSON text: read them as base64.
                String accept = format == BodyFormat.BINARY ? format.contentType() : "application/json";
                ReadWorkload.Outcome read = new ReadWorkload(http, accept, 1 << 20).run(topic, 3);

                assertThat(produced.records()).as("%s produced", format).isEqualTo(20_000);
                assertThat(produced.latency().count()).isEqualTo(produced.requests());
                assertThat(read.records()).as("%s read back", format).isEqualTo(20_000);
                int valueChars = format == BodyFormat.BINARY ? 136 : 100; // base64 of 100 bytes is 136 characters
                assertThat(read.valueChars()).isEqualTo(20_000L * valueChars);
            }
        }
    }

    @Test
    void endToEndRunSeesEveryRecordAndReportsPercentiles() throws Exception {
        try (SluiceHttp http = new SluiceHttp("http://127.0.0.1:" + port, 8)) {
            http.createTopic("smoke-e2e", 1);
            EndToEndWorkload e2e = new EndToEndWorkload(http, 5_000);

            e2e.run("smoke-e2e", 500, 2, 100);

            Result result = e2e.result("e2e-longpoll");
            assertThat(result.text()).startsWith("p50 ");
            assertThat(Double.parseDouble(result.primary())).isPositive();
        }
    }

    @Test
    void commandLineProducePrintsAResultLine() {
        BenchArgs args = BenchArgs.of(Map.of(
                "topic", "smoke-cli", "partitions", "2", "value-size", "1000", "format", "ndjson", "records", "3000"));
        try (SluiceHttp http = new SluiceHttp("http://127.0.0.1:" + port, 8)) {
            Result result = LoadGenerator.produce(args, http);

            assertThat(result.system()).isEqualTo("sluice");
            assertThat(Double.parseDouble(result.primary())).isPositive();
            assertThat(result.line()).startsWith("RESULT\tproduce\tsluice\t").contains("rec/s");
        }
    }
}
