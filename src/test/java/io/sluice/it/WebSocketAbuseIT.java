package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * WebSocket abuse on {@code /ws}: an oversize frame closes that socket (and only it); a flood of malformed frames
 * (not JSON, deep nesting, unknown ops, subscriptions to path-trick topic names) is answered with error frames or
 * a close, never takes the server down and creates no file outside the data dir.
 */
class WebSocketAbuseIT extends ServerIT {

    private static final int FLOOD = Integer.getInteger("sluice.fuzz.ws-frames", 3000);

    /** Collects what the server sends and how the socket ended. */
    private static final class Recorder implements WebSocket.Listener {
        final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final AtomicInteger errors = new AtomicInteger();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            String frame = data.toString();
            frames.add(frame);
            if (frame.contains("\"error\"")) {
                errors.incrementAndGet();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }

    private WebSocket connect(Recorder recorder) {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://localhost:" + port + "/ws"), recorder)
                .join();
    }

    @Test
    void anOversizeFrameClosesThatSocketOnly() throws Exception {
        Recorder bystander = new Recorder();
        WebSocket calm = connect(bystander);
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder);

        ws.sendText("{\"op\":\"ping\",\"pad\":\"" + "x".repeat(4 << 20) + "\"}", true);

        assertThat(recorder.closed.get(30, TimeUnit.SECONDS)).isNotEqualTo(1000);
        assertThat(bystander.closed).isNotDone();
        calm.sendText("{\"op\":\"nope\"}", true).get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bystander.errors.get() > 0);
        assertThat(api.get("/actuator/health").text()).contains("\"UP\"");
    }

    @Test
    void aFloodOfMalformedFramesGetsErrorsNotAnOutage() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder);
        Random random = new Random(3);
        List<String> frames = List.of(
                "not json",
                "[".repeat(5000),
                "{\"op\":\"nope\"}",
                "{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"../wsevil\"}",
                "{\"op\":\"subscribe\",\"id\":\"" + "i".repeat(500) + "\",\"topic\":\"x\"}",
                "{\"op\":\"produce\",\"topic\":\"..%2fwsevil\",\"records\":[{\"value\":1}]}",
                "{\"op\":\"subscribe\",\"id\":\"t\",\"topic\":\"t\",\"max_records\":1e999}",
                "{\"op\":\"credit\",\"id\":\"zz\",\"credit\":-99999999999999999999}",
                "\u0000\u0001\u0002",
                "{}");
        int sent = 0;
        for (int i = 0; i < FLOOD && !recorder.closed.isDone(); i++) {
            try {
                ws.sendText(frames.get(random.nextInt(frames.size())), true).get(10, TimeUnit.SECONDS);
                sent++;
            } catch (java.util.concurrent.ExecutionException e) {
                break; // the server closed the socket: also a fine answer to a flood
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> recorder.closed.isDone() || recorder.errors.get() > 0);
        System.out.printf(
                "websocket flood: %d frames sent, %d error frames, closed=%s%n",
                sent, recorder.errors.get(), recorder.closed.getNow(null));

        assertThat(api.get("/actuator/health").text()).contains("\"UP\"");
        try (Stream<Path> all = Files.walk(dataDir().toAbsolutePath().getParent(), 2)) {
            assertThat(all.filter(p -> p.getFileName().toString().contains("wsevil")))
                    .isEmpty();
        }
    }
}
