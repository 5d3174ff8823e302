package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client (Reactor Netty) for the ITs: sends JSON text frames, collects received frames. In paused
 * mode it requests no frames after the first {@code initial} ones, so the network layer stops reading and TCP
 * backpressure reaches the server, as with a slow browser.
 */
final class WsTestClient implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final Disposable connection;
    private final Sinks.One<Integer> closeStatus = Sinks.one();
    private volatile Subscription reader;
    volatile boolean closedByServer;

    private WsTestClient(int port, long initialRequest) {
        this(port, "", null, initialRequest);
    }

    /** {@code query} is appended to {@code /ws} as is; {@code bearer} (nullable) goes in an Authorization header. */
    private WsTestClient(int port, String query, String bearer, long initialRequest) {
        this.connection = HttpClient.create()
                .headers(headers -> {
                    if (bearer != null) {
                        headers.set("Authorization", "Bearer " + bearer);
                    }
                })
                .websocket(WebsocketClientSpec.builder()
                        .maxFramePayloadLength(64 * 1024 * 1024)
                        .build())
                .uri("ws://localhost:" + port + "/ws" + query)
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status -> closeStatus.tryEmitValue(status.code()));
                    in.aggregateFrames(64 * 1024 * 1024).receive().asString().subscribe(new BaseSubscriber<>() {
                        @Override
                        protected void hookOnSubscribe(Subscription subscription) {
                            reader = subscription;
                            subscription.request(initialRequest);
                        }

                        @Override
                        protected void hookOnNext(String text) {
                            frames.add(JSON.readTree(text));
                        }

                        @Override
                        protected void hookFinally(reactor.core.publisher.SignalType type) {
                            closedByServer = true;
                        }
                    });
                    return out.sendString(outbound.asFlux()).neverComplete();
                })
                .subscribe();
    }

    static WsTestClient connect(int port) {
        return new WsTestClient(port, Long.MAX_VALUE);
    }

    /** Connects with a stream ticket in the URL, as a browser does when security is on. */
    static WsTestClient connectWithTicket(int port, String ticket) {
        return new WsTestClient(port, "?ticket=" + ticket, null, Long.MAX_VALUE);
    }

    /** Connects with an {@code Authorization: Bearer} header, as a non-browser client may. */
    static WsTestClient connectWithBearer(int port, String token) {
        return new WsTestClient(port, "", token, Long.MAX_VALUE);
    }

    static WsTestClient connectPaused(int port, long initialRequest) {
        return new WsTestClient(port, initialRequest);
    }

    /** Starts reading everything (ends paused mode). */
    void resume() {
        Subscription subscription = reader;
        if (subscription != null) {
            subscription.request(Long.MAX_VALUE);
        }
    }

    synchronized void send(String json) {
        outbound.tryEmitNext(json);
    }

    /** Waits for the next frame that matches, keeping every frame received on the way in {@link #seen()}. */
    JsonNode await(Predicate<JsonNode> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode frame;
            try {
                frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(frame)
                    .as("frame matching the expectation within %s; seen so far %s", timeout, lastSeen())
                    .isNotNull();
            seen.add(frame);
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    /** Every frame that arrives until {@code deadlineNanos} ({@link System#nanoTime()}); also kept in {@link #seen()}. */
    List<JsonNode> receiveUntil(long deadlineNanos) {
        List<JsonNode> received = new ArrayList<>();
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                JsonNode frame = frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame != null) {
                    received.add(frame);
                    seen.add(frame);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return received;
    }

    /** Like {@link #await(String, String)}, but also accepts a matching frame already received by an earlier await. */
    JsonNode awaitOrSeen(String type, String id) {
        for (JsonNode frame : seen) {
            if (matches(frame, type, id)) {
                return frame;
            }
        }
        return await(type, id);
    }

    private static boolean matches(JsonNode frame, String type, String id) {
        return frame.path("type").asString().equals(type)
                && (id == null || frame.path("id").asString("").equals(id));
    }

    JsonNode await(String type, String id) {
        return await(
                frame -> frame.path("type").asString().equals(type)
                        && (id == null || frame.path("id").asString("").equals(id)),
                Duration.ofSeconds(20));
    }

    /** Frames received (and consumed by {@link #await}) so far. */
    List<JsonNode> seen() {
        return seen;
    }

    Integer closeStatus(Duration timeout) {
        return closeStatus.asMono().block(timeout);
    }

    private String lastSeen() {
        int from = Math.max(0, seen.size() - 3);
        return seen.subList(from, seen.size()).stream()
                .map(frame ->
                        frame.path("type").asString() + "/" + frame.path("id").asString("") + "/"
                                + frame.path("token").asString(""))
                .toList()
                .toString();
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
