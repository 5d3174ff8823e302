package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Sluice as a child process (the packaged jar when the build made one, else the test class path) on a fixed port
 * and data dir, so that it can be killed with {@code kill -9} and started again on the same files.
 */
final class SluiceProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    SluiceProcess(Path dataDir, String... extraArgs) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.extraArgs = List.of(extraArgs);
    }

    int port() {
        return port;
    }

    /** Environment variables added to the server's (Spring Boot binds e.g. SERVER_SSL_BUNDLE); set before start. */
    Map<String, String> environment() {
        return environment;
    }

    /** The server's process id. */
    long pid() {
        return process.pid();
    }

    /** The server's output (appended across restarts). */
    Path logFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    /**
     * SIGTERM (what {@code docker stop} and systemd send), and waits up to {@code within} for the process to end.
     * Returns its exit code.
     */
    int terminate(Duration within) throws InterruptedException {
        process.destroy(); // SIGTERM on Unix
        assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
                .as("server ended within %s of SIGTERM (log in %s)", within, logFile())
                .isTrue();
        return process.exitValue();
    }

    /** Starts the server and waits until it reports healthy. */
    ApiClient start() throws IOException {
        launch();
        ApiClient api = new ApiClient(port);
        awaitUp(() -> api.sendUnchecked("GET", "/actuator/health", null, null).status() == 200);
        return api;
    }

    /** Starts the server process without waiting for it (for servers the plain-HTTP probe cannot reach, e.g. TLS). */
    void launch() throws IOException {
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
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** Waits (up to 90 s) until {@code up} says so, failing at once if the process has died. */
    void awaitUp(Callable<Boolean> up) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("server process (log in %s)", logFile())
                            .isTrue();
                    return up.call();
                });
    }

    /** kill -9, and waits until the process is gone. */
    void killNine() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
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
