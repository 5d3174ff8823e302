package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 concurrent connections, each a parked long-poll, held by one real server process: all are parked at once
 * (the server's own gauge says so), the server still answers other clients quickly, and one produced record answers
 * every one of them with a 200 carrying it. Needs about 10,100 file descriptors in this JVM and in the server
 * ({@code ulimit -n}, 20,000 on CI); the count is {@code -Dsluice.connections=N}.
 */
class ConnectionsIT {

    private static final int CONNECTIONS = Integer.getInteger("sluice.connections", 10_000);
    private static final String MARKER = "wake-everyone";

    @TempDir
    Path dataDir;

    private SluiceProcess server;
    private final List<SocketChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (SocketChannel channel : channels) {
            channel.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tenThousandParkedLongPollsAreHeldAndAllAnswered() throws Exception {
        assertThat(openFilesLimit())
                .as("ulimit -n of this JVM (the server inherits it; the JVM raises its soft limit to the hard one):"
                        + " raise it or run with -Dsluice.connections=<fewer>")
                .isGreaterThan(CONNECTIONS + 500L);
        server = new SluiceProcess(dataDir, "--sluice.fetch.max-wait=300s");
        ApiClient api = server.start();
        api.postJson("/topics", "{\"name\":\"crowd\",\"partitions\":1}").expect(201);
        byte[] request = ("GET /topics/crowd/partitions/0/records?offset=0&timeout=300000 HTTP/1.1\r\n"
                        + "Host: localhost\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        long opening = System.nanoTime();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        for (int i = 0; i < CONNECTIONS; i++) {
            SocketChannel channel = SocketChannel.open(address);
            channels.add(channel);
            channel.write(ByteBuffer.wrap(request));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.metric("sluice_fetch_waiting") >= CONNECTIONS);
        long heldMs = (System.nanoTime() - opening) / 1_000_000;

        long probe = System.nanoTime();
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
        api.get("/topics/crowd").expect(200);
        long probeMs = (System.nanoTime() - probe) / 1_000_000;
        assertThat(probeMs)
                .as("the server answers others while holding %d connections", CONNECTIONS)
                .isLessThan(5_000);

        long waking = System.nanoTime();
        api.postJson("/topics/crowd", "{\"records\":[{\"value\":\"" + MARKER + "\"}]}")
                .expect(200);
        int answered = readAllAnswers(Duration.ofSeconds(60));
        long wakeMs = (System.nanoTime() - waking) / 1_000_000;
        System.out.printf(
                "ConnectionsIT: %d long-polls parked after %d ms; health + describe took %d ms while held; all "
                        + "answered %d ms after one produce%n",
                CONNECTIONS, heldMs, probeMs, wakeMs);
        assertThat(answered).isEqualTo(CONNECTIONS);
        assertThat(api.metric("sluice_fetch_waiting")).isZero();
    }

    /** The open-files limit of this process (soft), from /proc on Linux; unlimited elsewhere. */
    private static long openFilesLimit() throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.exists(limits)) {
            return Long.MAX_VALUE;
        }
        return Files.readAllLines(limits).stream()
                .filter(line -> line.startsWith("Max open files"))
                .map(line -> line.substring("Max open files".length()).trim().split("\\s+")[0])
                .mapToLong(value -> value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value))
                .findFirst()
                .orElse(Long.MAX_VALUE);
    }

    /** Reads every channel until its answer carries the marker; returns how many did. Fails on a closed one. */
    private int readAllAnswers(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        int answered = 0;
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : channels) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, new StringBuilder());
            }
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (answered < CONNECTIONS && System.nanoTime() < deadline) {
                selector.select(1000);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    StringBuilder seen = (StringBuilder) key.attachment();
                    buffer.clear();
                    int read = ((SocketChannel) key.channel()).read(buffer);
                    assertThat(read)
                            .as("connection closed before its answer: %s", seen)
                            .isNotNegative();
                    seen.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                    if (seen.indexOf(MARKER) >= 0) {
                        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
                        key.cancel();
                        answered++;
                    }
                }
            }
        }
        return answered;
    }
}
