package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * {@link PipelineReads} in front of the direct route, as the application installs it: every test of {@link
 * DirectReadsTest} again (the answers must not change), and what only a handler in the channel pipeline can get wrong,
 * seen from a raw socket: answers in the order of pipelined requests, the requests it must leave to Reactor Netty,
 * the idle timeout around a poll, and a client that goes away.
 */
class PipelineReadsTest extends DirectReadsTest {

    /** Values as base64: the records these tests write are not JSON. */
    private static final String BINARY = "Accept: " + SluiceMediaTypes.KAFKA_BINARY + "\r\n";

    /** A read budget with room for several reads, so that it does not decide which path takes a read. */
    private final AdmissionFilter roomyBudget = new AdmissionFilter(1 << 20, 8, 1 << 20, Duration.ofSeconds(1));

    private final List<DisposableServer> roomyServers = new ArrayList<>();

    @Override
    HttpServer configure(HttpServer server, DirectReads direct) {
        return withPipelineReads(server, direct, null);
    }

    @AfterEach
    void stopRoomyServers() {
        roomyServers.forEach(DisposableServer::disposeNow);
    }

    /** A server as the base test's, but within {@link #roomyBudget} and with {@code idleTimeout} if not null. */
    private int roomyServer(Duration idleTimeout) {
        DirectReads reads = directReads(roomyBudget);
        HttpServer server = withPipelineReads(HttpServer.create(), reads, idleTimeout);
        DisposableServer bound = serve(idleTimeout == null ? server : server.idleTimeout(idleTimeout), reads);
        roomyServers.add(bound);
        return bound.port();
    }

    private void awaitNoRoomyReadInFlight() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> roomyBudget.readsInFlight() == 0);
    }

    private static HttpServer withPipelineReads(HttpServer server, DirectReads direct, Duration idleTimeout) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> channel.pipeline()
                .addBefore(
                        NettyPipeline.HttpTrafficHandler, PipelineReads.NAME, new PipelineReads(direct, idleTimeout)));
    }

    @Test
    void readsOnAKeptAliveConnectionAreAnsweredInThePipelineAlsoAfterAnAnswerOfReactorNetty() throws IOException {
        produce("a", "b");
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.send(get("/elsewhere", ""));
            assertThat(connection.read().status()).isEqualTo(418);

            for (int offset = 0; offset < 3; offset++) {
                connection.send(get(READ + "?offset=" + offset + "&timeout=0", BINARY));
                RawAnswer answer = connection.read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers()).containsEntry("sluice-next-offset", "2");
            }
        }
        assertThat(route).as("reads answered by the route").hasValue(0);
        assertThat(fullPath).hasValue(1);
        awaitNoReadInFlight();
    }

    @Test
    void pipelinedRequestsBehindAParkedReadAreAnsweredInTheirOrder() throws IOException {
        try (RawConnection connection = new RawConnection(roomyServer(null))) {
            connection.send(get(READ + "?offset=0&timeout=30000", BINARY)
                    + get("/elsewhere", "")
                    + get(READ + "?offset=1&timeout=0", BINARY));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);

            produce("a", "b");

            RawAnswer parked = connection.read();
            RawAnswer elsewhere = connection.read();
            RawAnswer second = connection.read();
            assertThat(parked.status()).isEqualTo(200);
            assertThat(parked.body()).contains("\"offset\":0", "\"offset\":1");
            assertThat(elsewhere.status()).isEqualTo(418);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).doesNotContain("\"offset\":0").contains("\"offset\":1");
        }
        assertThat(fullPath).hasValue(1);
        awaitNoRoomyReadInFlight();
    }

    @Test
    void aReadPipelinedBehindARequestOfReactorNettyWaitsForItsAnswer() throws IOException {
        try (RawConnection connection = new RawConnection(roomyServer(null))) {
            // a body sends the first read to Reactor Netty, where the route parks it
            connection.send("GET " + READ + "?offset=0&timeout=30000 HTTP/1.1\r\nHost: x\r\n" + BINARY
                    + "Content-Length: 2\r\n\r\n{}"
                    + get(READ + "?offset=1&timeout=0", BINARY));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);

            produce("a", "b");

            RawAnswer parked = connection.read();
            RawAnswer second = connection.read();
            assertThat(parked.body()).contains("\"offset\":0", "\"offset\":1");
            assertThat(second.body()).doesNotContain("\"offset\":0").contains("\"offset\":1");
        }
        assertThat(route).as("both reads answered by the route").hasValue(2);
        awaitNoRoomyReadInFlight();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET " + READ + "?offset=0&timeout=0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET " + READ + "?offset=0&timeout=0 HTTP/1.0\r\nHost: x\r\n\r\n",
                "GET " + READ + "?offset=0&timeout=0 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
            })
    void readsThatEndTheConnectionOrCarryABodyAreLeftToReactorNetty(String request) throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.send(request);
            assertThat(connection.read().status()).isEqualTo(200);
        }
        assertThat(route).hasValue(1);
        assertThat(fullPath).hasValue(0);
    }

    @Test
    void aPollOutlivesTheIdleTimeoutWhichComesBackOnceItIsAnswered() throws IOException {
        try (RawConnection connection = new RawConnection(roomyServer(Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            connection.send(get(READ + "?offset=0&timeout=1200", ""));
            RawAnswer answer = connection.read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("[]");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
            assertThat(connection.awaitClosed())
                    .as("closed by the idle timer once answered")
                    .isTrue();
        }
        assertThat(route).hasValue(0);
    }

    @Test
    void aClientThatGoesAwayCancelsItsParkedReadAndGivesItsAdmissionBack() throws IOException {
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.send(get(READ + "?offset=0&timeout=60000", ""));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
            assertThat(admission.readsInFlight()).isEqualTo(1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 0);
        awaitNoReadInFlight();
        assertThat(route).hasValue(0);
    }

    private static String get(String pathAndQuery, String headers) {
        return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    }

    private record RawAnswer(int status, Map<String, String> headers, String body) {}

    /** One HTTP/1.1 connection, written and read as bytes; answers must carry a Content-Length or have no body. */
    private static final class RawConnection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        RawConnection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        void send(String requests) throws IOException {
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        RawAnswer read() throws IOException {
            String statusLine = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new RawAnswer(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        }

        /** Whether the server closes the connection (end of stream) within the socket's timeout. */
        boolean awaitClosed() throws IOException {
            return in.read() < 0;
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed in an answer's head");
                }
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
