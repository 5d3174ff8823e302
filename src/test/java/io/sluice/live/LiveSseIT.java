package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LiveSseIT extends LiveServerSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private String base() {
        return "http://localhost:" + port;
    }

    @Test
    void eventStreamCarriesAntiBufferingHeadersAndKeepAlives() throws Exception {
        createTopic("sse-headers", 1);
        try (SseTestReader sse = new SseTestReader(base() + "/topics/sse-headers/events", "text/event-stream", null)) {
            assertThat(sse.response.statusCode()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(sse.response.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(sse.response.headers().firstValue("X-Accel-Buffering")).hasValue("no");

            SseTestReader.Event caughtUp = sse.nextEvent("caught_up", WAIT);
            assertThat(caughtUp.id()).isEqualTo("0:0");
            // keep-alive is 1 s in this test context
            SseTestReader.Event keepAlive = sse.nextEvent(Duration.ofSeconds(5));
            assertThat(keepAlive.comment()).isEqualTo("keep-alive");
        }
    }

    @Test
    void reconnectingWithLastEventIdResumesWithoutLossOrRepeat() throws Exception {
        createTopic("sse-resume", 3);
        for (int p = 0; p < 3; p++) {
            produce("sse-resume", p, "first" + p, 40);
        }
        Map<Integer, List<Long>> offsets = new HashMap<>();
        String lastId;
        try (SseTestReader sse =
                new SseTestReader(base() + "/topics/sse-resume/events?from=earliest", "text/event-stream", null)) {
            lastId = read(sse, offsets, 50);
        }
        for (int p = 0; p < 3; p++) {
            produce("sse-resume", p, "second" + p, 10);
        }
        try (SseTestReader sse = new SseTestReader(base() + "/topics/sse-resume/events", "text/event-stream", lastId)) {
            lastId = read(sse, offsets, 60);
        }
        // the token as a query parameter works the same
        try (SseTestReader sse = new SseTestReader(
                base() + "/topics/sse-resume/events?token=" + lastId.replace(",", "%2C"), "text/event-stream", null)) {
            read(sse, offsets, 40);
            assertThat(sse.nextEvent("caught_up", WAIT).id()).isEqualTo("0:50,1:50,2:50");
        }
        for (int p = 0; p < 3; p++) {
            List<Long> expected = new ArrayList<>();
            for (long o = 0; o < 50; o++) {
                expected.add(o);
            }
            assertThat(offsets.get(p)).as("partition %d", p).isEqualTo(expected);
        }
    }

    @Test
    void fromTimestampStartsAtTheFirstRecordAtOrAfterIt() throws Exception {
        createTopic("sse-time", 1);
        produce("sse-time", 0, "old", 5);
        long cut = System.currentTimeMillis() + 1;
        org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > cut);
        produce("sse-time", 0, "new", 3);
        try (SseTestReader sse = new SseTestReader(
                base() + "/topics/sse-time/events?from=timestamp&timestamp=" + cut, "text/event-stream", null)) {
            JsonNode first =
                    WsTestClient.JSON.readTree(sse.nextEvent("record", WAIT).data());
            assertThat(first.path("offset").asLong()).isEqualTo(5);
            assertThat(first.path("value").asString()).isEqualTo("new-0");
        }
    }

    @Test
    void ndjsonFollowKeepsTheReadOpenAndStreamsNewRecords() throws Exception {
        createTopic("follow", 2);
        produce("follow", 1, "before", 3);
        try (SseTestReader lines = new SseTestReader(
                base() + "/topics/follow/partitions/1/records?follow=true&offset=1", "application/x-ndjson", null)) {
            assertThat(lines.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
            assertThat(offsetOf(lines.nextLine(WAIT))).isEqualTo(1);
            assertThat(offsetOf(lines.nextLine(WAIT))).isEqualTo(2);
            produce("follow", 1, "after", 2);
            produce("follow", 0, "elsewhere", 2);
            assertThat(offsetOf(nonBlank(lines))).isEqualTo(3);
            JsonNode last = WsTestClient.JSON.readTree(nonBlank(lines));
            assertThat(last.path("offset").asLong()).isEqualTo(4);
            assertThat(last.path("partition").asInt()).isEqualTo(1);
            assertThat(last.path("value").asString()).isEqualTo("after-1");
        }
    }

    @Test
    void unknownTopicIsAnErrorBeforeTheStreamStarts() throws Exception {
        try (SseTestReader sse = new SseTestReader(base() + "/topics/nope/events", "text/event-stream", null)) {
            assertThat(sse.response.statusCode()).isEqualTo(404);
        }
    }

    private static String nonBlank(SseTestReader lines) throws InterruptedException {
        String line;
        do {
            line = lines.nextLine(WAIT);
        } while (line.isBlank());
        return line;
    }

    private static long offsetOf(String line) {
        return WsTestClient.JSON.readTree(line).path("offset").asLong();
    }

    /** Reads {@code count} record events, checks each id is the position after it, returns the last id. */
    private static String read(SseTestReader sse, Map<Integer, List<Long>> offsets, int count) throws Exception {
        String lastId = null;
        for (int i = 0; i < count; i++) {
            SseTestReader.Event event = sse.nextEvent("record", WAIT);
            JsonNode record = WsTestClient.JSON.readTree(event.data());
            int partition = record.path("partition").asInt();
            long offset = record.path("offset").asLong();
            offsets.computeIfAbsent(partition, k -> new ArrayList<>()).add(offset);
            assertThat(event.id()).contains(partition + ":" + (offset + 1));
            lastId = event.id();
        }
        return lastId;
    }
}
