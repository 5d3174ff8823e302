package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark's load generator for a couple of seconds against a real server and checks that what it
 * counted as produced is what it reads back, value bytes included.
 *
 * <p>The server is the packaged jar ({@code target/sluice-*.jar}, built by {@code package} before {@code verify}
 * runs the ITs), started as its own process on a free port, as {@code bench/run.sh} does: the benchmark's client
 * must not share event loops with the server it measures; and the test runs in a JVM of its own (its own failsafe
 * execution), away from the BlockHound the server ITs install JVM-wide.
 */
class LoadGeneratorSmokeIT {

    @TempDir
    static Path dataDir;

    private static Process server;
    private static String url;

    @BeforeAll
    static void startServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-jar",
                        jar().toString(),
                        "--server.address=127.0.0.1",
                        "--server.port=" + port,
                        "--sluice.data-dir=" + dataDir)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile())
                .start();
        HttpClient client = HttpClient.newHttpClient();
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(server.isAlive()).as("server process alive").isTrue();
                    return client.send(
                                    HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body()
                            .contains("\"UP\"");
                });
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("sluice-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/sluice-*.jar: run mvn package first"));
        }
    }

    @Test
    void everyProducedRecordIsReadBackInEachFormat() {
        try (SluiceHttp http = new SluiceHttp(url, 8)) {
            for (BodyFormat format : BodyFormat.values()) {
                String topic = "smoke-" + format.name().toLowerCase(Locale.ROOT);
                http.createTopic(topic, 3);
                ProduceWorkload.Outcome produced = new ProduceWorkload(http, format, 100).run(topic, 3, 20_000, 700, 4);
                // Values sent as base64 are stored as their raw bytes, which are not JSON text: read them as base64.
                String accept = format == BodyFormat.BINARY ? format.contentType() : "application/json";
                ReadWorkload.Outcome read = new ReadWorkload(http, accept, 1 << 20, 2).run(topic, 3);

                assertThat(produced.records()).as("%s produced", format).isEqualTo(20_000);
                assertThat(produced.latency().count()).isEqualTo(produced.requests());
                assertThat(read.records()).as("%s read back", format).isEqualTo(20_000);
                int valueChars = format == BodyFormat.BINARY ? 136 : 100; // base64 of 100 bytes is 136 characters
                assertThat(read.valueChars()).isEqualTo(20_000L * valueChars);
            }
        }
    }

    @Test
    void batchReadsAndGroupReadsSeeEveryRecord() {
        try (SluiceHttp http = new SluiceHttp(url, 8)) {
            http.createTopic("smoke-reads", 3);
            new ProduceWorkload(http, BodyFormat.JSON, 100).run("smoke-reads", 3, 20_000, 700, 4);

            ReadWorkload.Outcome batches =
                    new ReadWorkload(http, ReadWorkload.BATCHES, 64 * 1024, 2).run("smoke-reads", 3);
            ReadWorkload.Outcome oneAtATime =
                    new ReadWorkload(http, ReadWorkload.BATCHES, 64 * 1024, 1).run("smoke-reads", 3);
            ReadWorkload.Outcome group =
                    new GroupReadWorkload(http, 64 * 1024, "application/json", 2).run("smoke-reads", 3);
            ReadWorkload.Outcome groupBatches =
                    new GroupReadWorkload(http, 64 * 1024, ReadWorkload.BATCHES, 2).run("smoke-reads", 3);

            assertThat(batches.records()).isEqualTo(20_000);
            assertThat(oneAtATime.records()).isEqualTo(20_000);
            // values are stored as JSON text: a 100-character string is 102 bytes with its quotes
            assertThat(batches.valueChars()).isEqualTo(20_000L * 102);
            assertThat(group.records()).isEqualTo(20_000);
            assertThat(group.valueChars()).isEqualTo(20_000L * 100);
            assertThat(groupBatches.records()).isEqualTo(20_000);
            assertThat(groupBatches.valueChars()).isEqualTo(20_000L * 102);
        }
    }

    @Test
    void endToEndRunSeesEveryRecordAndReportsPercentiles() throws Exception {
        try (SluiceHttp http = new SluiceHttp(url, 8)) {
            http.createTopic("smoke-e2e", 1);
            EndToEndWorkload e2e = new EndToEndWorkload(http, 5_000);

            e2e.run("smoke-e2e", 500, 1, 2, 100);

            Result result = e2e.result("e2e-longpoll");
            assertThat(result.text()).startsWith("p50 ").contains("(warm-up p99 ");
            assertThat(Double.parseDouble(result.primary())).isPositive();
        }
    }

    @Test
    void webSocketEndToEndRunSeesEveryRecord() throws Exception {
        try (SluiceHttp http = new SluiceHttp(url, 8)) {
            http.createTopic("smoke-e2e-ws", 1);
            EndToEndWorkload e2e = new EndToEndWorkload(http, 5_000, url.replaceFirst("^http", "ws") + "/ws");

            e2e.run("smoke-e2e-ws", 500, 1, 2, 100);

            assertThat(Double.parseDouble(e2e.result("e2e-websocket").primary()))
                    .isPositive();
        }
    }

    @Test
    void commandLineProducePrintsAResultLine() {
        BenchArgs args = BenchArgs.of(Map.of(
                "topic", "smoke-cli", "partitions", "2", "value-size", "1000", "format", "ndjson", "records", "3000"));
        try (SluiceHttp http = new SluiceHttp(url, 8)) {
            Result result = LoadGenerator.produce(args, http);

            assertThat(result.system()).isEqualTo("sluice");
            assertThat(Double.parseDouble(result.primary())).isPositive();
            assertThat(result.line()).startsWith("RESULT\tproduce\tsluice\t").contains("rec/s");
        }
    }
}
