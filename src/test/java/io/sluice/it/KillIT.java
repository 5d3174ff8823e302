package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Runs Sluice as a separate process (the packaged jar when the build made one), kills it with {@code kill -9} right
 * after writes, restarts it on the same data dir and retries with the same Idempotency-Keys: the retries get the
 * original offsets and nothing is written twice, including a request whose response the kill cut off.
 */
class KillIT {

    @TempDir
    Path dataDir;

    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void idempotentRetriesAfterKillNineReturnTheOriginalOffsetsAndWriteNothing() throws Exception {
        int port = freePort();
        ApiClient api = startServer(port);
        api.postJson("/topics", "{\"name\":\"payments\",\"partitions\":3}").expect(201);
        String answered = "{\"records\":[{\"value\":1},{\"key\":\"x\",\"value\":2},{\"key\":\"y\",\"value\":3}]}";
        String cutOff = "{\"records\":[{\"value\":\"late-1\"},{\"value\":\"late-2\"}]}";

        JsonNode original = api.postJson("/topics/payments", answered, "Idempotency-Key", "pay-1")
                .expect(200);
        JsonNode refunds = api.postJson("/topics", "{\"name\":\"refunds\",\"partitions\":2}")
                .expect(201);
        ApiClient firstRun = api;
        CompletableFuture<?> lost = CompletableFuture.runAsync(() -> firstRun.sendUnchecked(
                "POST", "/topics/payments", "application/json", cutOff.getBytes(), "Idempotency-Key", "pay-2"));
        killNine();
        // the kill may land before, during or after that write: whichever it was, the retry below must not duplicate
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(lost::isDone);

        api = startServer(port);
        JsonNode retried = api.postJson("/topics/payments", answered, "Idempotency-Key", "pay-1")
                .expect(200);
        JsonNode late = api.postJson("/topics/payments", cutOff, "Idempotency-Key", "pay-2")
                .expect(200);
        JsonNode lateAgain = api.postJson("/topics/payments", cutOff, "Idempotency-Key", "pay-2")
                .expect(200);

        assertThat(api.get("/topics/refunds").expect(200))
                .as("a topic created just before the kill")
                .isEqualTo(refunds);
        assertThat(retried).isEqualTo(original);
        assertThat(lateAgain).isEqualTo(late);
        assertThat(totalRecords(api)).isEqualTo(5);
        JsonNode first = late.get("offsets").get(0);
        JsonNode stored = api.get(
                        "/topics/payments/partitions/" + first.get("partition").intValue() + "/records?offset="
                                + first.get("offset").longValue())
                .expect(200);
        assertThat(stored.get(0).get("value").stringValue()).isEqualTo("late-1");
        assertThat(stored.get(1).get("value").stringValue()).isEqualTo("late-2");
    }

    private long totalRecords(ApiClient api) {
        long total = 0;
        for (JsonNode partition : api.get("/topics/payments/partitions").expect(200)) {
            total += partition.get("end_offset").longValue()
                    - partition.get("beginning_offset").longValue();
        }
        return total;
    }

    private ApiClient startServer(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1"));
        Path jar = packagedJar();
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sluice.app.SluiceApplication"));
        }
        command.addAll(
                List.of("--server.port=" + port, "--sluice.data-dir=" + dataDir, "--spring.main.banner-mode=off"));
        File log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log").toFile();
        server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        ApiClient api = new ApiClient(port);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(server.isAlive())
                            .as("server process (log in %s)", log)
                            .isTrue();
                    return api.sendUnchecked("GET", "/actuator/health", null, null)
                                    .status()
                            == 200;
                });
        return api;
    }

    private void killNine() throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(server.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(137);
    }

    private static Path packagedJar() throws IOException {
        Path target = Path.of("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("sluice-.*\\.jar"))
                    .findFirst()
                    .orElse(null);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
