package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A line-oriented reader over a real HTTP connection (JDK client) that parses Server-Sent Events as a browser does
 * (id / event / data fields, blank line ends an event, lines starting with ':' are comments). Also used for NDJSON,
 * where every line is returned as-is. Closing it drops the connection, as a browser tab that goes away.
 */
final class SseTestReader implements AutoCloseable {

    /** One parsed event; {@code comment} is set for a comment line instead. */
    record Event(String id, String event, String data, String comment) {}

    private static final String END = "\u0000end";

    final HttpResponse<InputStream> response;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread pump;

    SseTestReader(String url, String accept, String lastEventId) throws IOException, InterruptedException {
        this(url, accept, lastEventId, null);
    }

    /** {@code bearer} (nullable) is sent as {@code Authorization: Bearer}. */
    SseTestReader(String url, String accept, String lastEventId, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        this.response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        this.pump = new Thread(this::pump, "sse-reader");
        pump.setDaemon(true);
        pump.start();
    }

    private void pump() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            lines.add(END);
        }
    }

    /** Whether the server ended the response (all lines before the end were read by earlier calls). */
    boolean endsWithin(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(10, TimeUnit.MILLISECONDS);
            if (END.equals(line)) {
                return true;
            }
        }
        return false;
    }

    /** The next raw line (NDJSON mode). */
    String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(line).as("a line within %s", timeout).isNotNull().isNotEqualTo(END);
        return line;
    }

    /** The next event or comment. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        String id = null;
        String event = null;
        List<String> data = new ArrayList<>();
        while (true) {
            String line = nextLine(timeout);
            if (line.startsWith(":")) {
                if (id == null && event == null && data.isEmpty()) {
                    return new Event(null, null, null, line.substring(1).trim());
                }
                continue;
            }
            if (line.isEmpty()) {
                if (id != null || event != null || !data.isEmpty()) {
                    return new Event(id, event, String.join("\n", data), null);
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data.add(value);
                default -> {}
            }
        }
    }

    /** The next event that is not a comment and has the given type. */
    Event nextEvent(String type, Duration timeout) throws InterruptedException {
        while (true) {
            Event event = nextEvent(timeout);
            if (type.equals(event.event())) {
                return event;
            }
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
        pump.interrupt();
    }
}
