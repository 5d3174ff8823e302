package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.ws.LiveSocketHandler;
import io.sluice.stream.PositionToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class LiveWebSocketIT extends LiveServerSupport {

    @Autowired
    private LiveSocketHandler handler;

    @Test
    void severalSubscriptionsShareOneSocketAndEachPartitionArrivesInOrder() {
        createTopic("ws-many", 3);
        createTopic("ws-other", 1);
        for (int p = 0; p < 3; p++) {
            produce("ws-many", p, "p" + p, 200);
        }
        try (WsTestClient client = WsTestClient.connect(port)) {
            client.send(
                    "{\"op\":\"subscribe\",\"id\":\"all\",\"topic\":\"ws-many\",\"from\":\"earliest\",\"max_records\":37}");
            client.send(
                    "{\"op\":\"subscribe\",\"id\":\"one\",\"topic\":\"ws-many\",\"partitions\":[1],\"from\":\"earliest\"}");
            client.send("{\"op\":\"subscribe\",\"id\":\"other\",\"topic\":\"ws-other\",\"from\":\"latest\"}");
            Map<String, Map<Integer, List<Long>>> offsets = new HashMap<>();
            client.await(
                    frame -> collect(frame, offsets)
                            && frame.path("type").asString().equals("subscribed")
                            && frame.path("id").asString().equals("other"),
                    Duration.ofSeconds(20));
            produce("ws-other", 0, "o", 5);
            for (int p = 0; p < 3; p++) {
                produce("ws-many", p, "late" + p, 50);
            }

            client.await(
                    frame -> {
                        collect(frame, offsets);
                        return count(offsets, "all") == 750
                                && count(offsets, "one") == 250
                                && count(offsets, "other") == 5;
                    },
                    Duration.ofSeconds(30));

            for (int p = 0; p < 3; p++) {
                assertThat(offsets.get("all").get(p)).as("partition %d", p).isEqualTo(range(0, 250));
            }
            assertThat(offsets.get("one")).containsOnlyKeys(1);
            assertThat(offsets.get("one").get(1)).isEqualTo(range(0, 250));
            assertThat(offsets.get("other").get(0)).isEqualTo(range(0, 5));
            assertThat(client.seen())
                    .filteredOn(frame -> frame.path("type").asString().equals("records")
                            && frame.path("id").asString().equals("all"))
                    .allSatisfy(
                            frame -> assertThat(frame.path("records").size()).isLessThanOrEqualTo(37));
        }
    }

    @Test
    void resumingFromTheLastTokenAfterADisconnectLosesAndRepeatsNothing() {
        createTopic("ws-resume", 2);
        produce("ws-resume", 0, "a", 100);
        produce("ws-resume", 1, "b", 100);
        Map<String, Map<Integer, List<Long>>> offsets = new HashMap<>();
        String token;
        try (WsTestClient client = WsTestClient.connect(port)) {
            client.send(
                    "{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"ws-resume\",\"from\":\"earliest\",\"max_records\":30}");
            JsonNode last = client.await(
                    frame -> {
                        collect(frame, offsets);
                        return count(offsets, "s") >= 60;
                    },
                    Duration.ofSeconds(20));
            token = last.path("token").asString();
        }
        produce("ws-resume", 0, "a2", 40);
        produce("ws-resume", 1, "b2", 40);
        try (WsTestClient client = WsTestClient.connect(port)) {
            client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"ws-resume\",\"from\":\"token\",\"token\":\""
                    + token + "\"}");
            client.await(
                    frame -> {
                        collect(frame, offsets);
                        return count(offsets, "s") >= 280;
                    },
                    Duration.ofSeconds(20));
            client.await("caught_up", "s");
        }
        assertThat(offsets.get("s").get(0)).isEqualTo(range(0, 140));
        assertThat(offsets.get("s").get(1)).isEqualTo(range(0, 140));
    }

    @Test
    void producesOverTheSocketAndSurvivesRecoverableErrors() {
        createTopic("ws-produce", 2);
        try (WsTestClient client = WsTestClient.connect(port)) {
            client.send("this is not json");
            JsonNode malformed = client.await("error", null);
            assertThat(malformed.path("error_code").asInt()).isEqualTo(40001);
            assertThat(malformed.path("fatal").asBoolean()).isFalse();

            client.send("{\"op\":\"subscribe\",\"id\":\"ghost\",\"topic\":\"no-such-topic\"}");
            JsonNode unknown = client.await("error", "ghost");
            assertThat(unknown.path("error_code").asInt()).isEqualTo(40401);

            client.send("{\"op\":\"subscribe\",\"id\":\"tail\",\"topic\":\"ws-produce\",\"from\":\"latest\"}");
            client.await("caught_up", "tail");
            client.send("{\"op\":\"produce\",\"correlation_id\":\"c1\",\"topic\":\"ws-produce\",\"records\":"
                    + "[{\"key\":\"k\",\"value\":{\"n\":1},\"partition\":1},{\"value\":\"two\",\"partition\":1}]}");
            JsonNode produced = client.await("produced", null);
            assertThat(produced.path("correlation_id").asString()).isEqualTo("c1");
            assertThat(produced.path("offsets").get(1).path("offset").asLong()).isEqualTo(1);

            JsonNode records = client.awaitOrSeen("records", "tail");
            assertThat(records.path("records").get(0).path("value").path("n").asInt())
                    .isEqualTo(1);
            assertThat(records.path("records").get(0).path("key").asString()).isEqualTo("k");

            client.send(
                    "{\"op\":\"produce\",\"correlation_id\":\"c2\",\"topic\":\"ws-produce\",\"records\":[{\"value\":1,\"partition\":9}]}");
            JsonNode badPartition = client.await("error", null);
            assertThat(badPartition.path("correlation_id").asString()).isEqualTo("c2");

            client.send("{\"op\":\"unsubscribe\",\"id\":\"tail\"}");
            client.await("unsubscribed", "tail");
        }
    }

    @Test
    void creditModeSendsNoMoreThanTheClientGranted() {
        createTopic("ws-credit", 1);
        produce("ws-credit", 0, "v", 50);
        try (WsTestClient client = WsTestClient.connect(port)) {
            client.send(
                    "{\"op\":\"subscribe\",\"id\":\"c\",\"topic\":\"ws-credit\",\"from\":\"earliest\",\"credit\":7}");
            Map<String, Map<Integer, List<Long>>> offsets = new HashMap<>();
            client.await(frame -> collect(frame, offsets) && count(offsets, "c") == 7, Duration.ofSeconds(10));
            client.send("{\"op\":\"subscribe\",\"id\":\"probe\",\"topic\":\"ws-credit\",\"from\":\"latest\"}");
            client.await("caught_up", "probe");
            assertThat(count(offsets, "c")).isEqualTo(7);

            client.send("{\"op\":\"credit\",\"id\":\"c\",\"records\":100}");
            client.await(frame -> collect(frame, offsets) && count(offsets, "c") == 50, Duration.ofSeconds(10));
            assertThat(offsets.get("c").get(0)).isEqualTo(range(0, 50));
        }
    }

    @Test
    void aClientThatStopsReadingIsBoundedAndThenClosed() {
        createTopic("ws-slow", 1);
        byte[] kilobyte = new byte[1000];
        java.util.Arrays.fill(kilobyte, (byte) 'x');
        String value = "v-" + new String(kilobyte);
        for (int i = 0; i < 40; i++) {
            produce("ws-slow", 0, value, 500);
        }
        long total = 20_000;
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        long queuedBefore = handler.framesQueued();
        try (WsTestClient slow = WsTestClient.connectPaused(port, 2)) {
            slow.send(
                    "{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"ws-slow\",\"from\":\"earliest\",\"max_records\":100}");
            await().atMost(Duration.ofSeconds(20)).until(() -> handler.openConnections() >= 1);
            // Server side the backlog stays at a handful of frames while 20 MB wait in the log...
            long maxQueued = 0;
            for (int i = 0; i < 10; i++) {
                maxQueued = Math.max(maxQueued, handler.framesQueued() - queuedBefore);
                assertThat(handler.framesQueued() - queuedBefore).isLessThanOrEqualTo(4);
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            }
            // ...and after the slow-client timeout (2 s here) the server gives up on it.
            await().atMost(Duration.ofSeconds(20)).until(() -> handler.openConnections() == 0);
            System.gc();
            long heapAfter = runtime.totalMemory() - runtime.freeMemory();
            System.out.printf(
                    "slow client: at most %d frames queued server-side, heap delta %d KB, %d records of 1 KB waiting%n",
                    maxQueued, (heapAfter - heapBefore) / 1024, total);
            assertThat(heapAfter - heapBefore)
                    .as("heap growth while a client refused %d records of 1 KB", total)
                    .isLessThan(16L * 1024 * 1024);
            slow.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.closedByServer);
        }
    }

    private static boolean collect(JsonNode frame, Map<String, Map<Integer, List<Long>>> offsets) {
        if (frame.path("type").asString().equals("records")) {
            String id = frame.path("id").asString();
            for (JsonNode record : frame.path("records")) {
                offsets.computeIfAbsent(id, k -> new HashMap<>())
                        .computeIfAbsent(record.path("partition").asInt(), k -> new ArrayList<>())
                        .add(record.path("offset").asLong());
            }
            Set<Integer> partitions =
                    new HashSet<>(PositionToken.parse(frame.path("token").asString())
                            .nextOffsets()
                            .keySet());
            assertThat(partitions).isNotEmpty();
        }
        return true;
    }

    private static int count(Map<String, Map<Integer, List<Long>>> offsets, String id) {
        return offsets.getOrDefault(id, Map.of()).values().stream()
                .mapToInt(List::size)
                .sum();
    }

    private static List<Long> range(long from, long to) {
        List<Long> result = new ArrayList<>();
        for (long i = from; i < to; i++) {
            result.add(i);
        }
        return result;
    }
}
