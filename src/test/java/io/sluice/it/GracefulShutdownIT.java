package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * SIGTERM on a real server process while it is busy: parked long-polls are answered (200, not reset), a produce whose
 * body is still arriving is let finish and acknowledged, the logs are closed cleanly within a bound, and the next
 * start skips recovery (its log says so) and serves every acknowledged record.
 */
class GracefulShutdownIT {

    private static final int PARKED = 20;
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private SluiceProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void sigtermAnswersParkedReadsFinishesAProduceInProgressAndRestartsClean() throws Exception {
        server = new SluiceProcess(dataDir);
        ApiClient api = server.start();
        api.postJson("/topics", "{\"name\":\"calm\",\"partitions\":2}").expect(201);
        for (int i = 0; i < 100; i++) {
            api.postJson("/topics/calm/partitions/0", "{\"records\":[{\"value\":" + i + "}]}")
                    .expect(200);
        }

        byte[] body = "{\"records\":[{\"value\":\"in-flight\"}]}".getBytes(StandardCharsets.UTF_8);
        try (Socket produce = new Socket("127.0.0.1", server.port())) {
            produce.setSoTimeout(30_000);
            OutputStream out = produce.getOutputStream();
            out.write(
                    ("POST /topics/calm/partitions/1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();

            List<CompletableFuture<HttpResponse<String>>> polls = parkLongPolls(api);

            long sigterm = System.nanoTime();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> terminate(server));
            for (CompletableFuture<HttpResponse<String>> poll : polls) {
                HttpResponse<String> answer = poll.get(15, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(ApiClient.JSON.readTree(answer.body()))
                        .as("answered empty")
                        .isEmpty();
            }
            long pollsAnsweredMs = millisSince(sigterm);
            assertThat(exit).as("the produce in progress holds the shutdown").isNotDone();

            out.write(body, 10, body.length - 10);
            out.flush();
            String answer = readAll(produce.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"offset\":0");

            int code = exit.get(SHUTDOWN_BOUND.toSeconds(), TimeUnit.SECONDS);
            long shutdownMs = millisSince(sigterm);
            assertThat(code).as("exit code after SIGTERM").isIn(0, 143);

            long starting = System.nanoTime();
            api = server.start();
            long startMs = millisSince(starting);
            System.out.printf(
                    "GracefulShutdownIT: %d parked reads answered %d ms after SIGTERM; process gone after %d ms; "
                            + "restart healthy after %d ms%n",
                    PARKED, pollsAnsweredMs, shutdownMs, startMs);
        }
        List<String> loads = Files.readAllLines(server.logFile()).stream()
                .filter(line -> line.contains("partition logs from"))
                .toList();
        assertThat(loads).hasSize(2);
        assertThat(loads.get(1)).contains("loaded 2 partition logs").contains("after a clean shutdown");
        JsonNode first = api.get("/topics/calm/partitions/0/records?offset=0").expect(200);
        assertThat(first).hasSize(100);
        JsonNode inFlight =
                api.get("/topics/calm/partitions/1/records?offset=0").expect(200);
        assertThat(inFlight).hasSize(1);
        assertThat(inFlight.get(0).get("value").stringValue()).isEqualTo("in-flight");
    }

    private List<CompletableFuture<HttpResponse<String>>> parkLongPolls(ApiClient api) {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < PARKED; i++) {
            HttpRequest poll = HttpRequest.newBuilder(
                            URI.create(api.base() + "/topics/calm/partitions/0/records?offset=100&timeout=60000"))
                    .build();
            polls.add(http.sendAsync(poll, HttpResponse.BodyHandlers.ofString()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.metric("sluice_fetch_waiting") == PARKED);
        return polls;
    }

    private static int terminate(SluiceProcess server) {
        try {
            return server.terminate(SHUTDOWN_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
