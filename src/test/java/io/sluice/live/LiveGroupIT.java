package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Consuming as a group member over the WebSocket: assignment frames, rebalances, acks as commits, lag in the view. */
class LiveGroupIT extends LiveServerSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void membersSplitThePartitionsAckToCommitAndTakeOverWhenOneLeaves() throws Exception {
        createTopic("grp-orders", 4);
        for (int p = 0; p < 4; p++) {
            produce("grp-orders", p, "before" + p, 10);
        }
        try (WsTestClient a = WsTestClient.connect(port)) {
            a.send(
                    "{\"op\":\"subscribe\",\"id\":\"m\",\"topic\":\"grp-orders\",\"group\":{\"name\":\"g1\"},\"from\":\"earliest\"}");
            JsonNode first = a.await("assignment", "m");
            assertThat(partitions(first)).containsExactlyInAnyOrder(0, 1, 2, 3);
            List<JsonNode> records = new ArrayList<>();
            a.await(frame -> collect(frame, records) && records.size() == 40, WAIT);
            assertThat(lag("g1")).isEqualTo(40);

            a.send("{\"op\":\"ack\",\"id\":\"m\",\"offsets\":{\"0\":10,\"1\":10,\"2\":10,\"3\":10}}");
            JsonNode acked = a.awaitOrSeen("acked", "m");
            assertThat(acked.path("offsets").path("3").asLong()).isEqualTo(10);
            assertThat(lag("g1")).isZero();

            try (WsTestClient b = WsTestClient.connect(port)) {
                b.send("{\"op\":\"subscribe\",\"id\":\"m\",\"topic\":\"grp-orders\",\"group\":{\"name\":\"g1\"}}");
                JsonNode forB = b.await(
                        frame -> isAssignment(frame) && !partitions(frame).isEmpty(), WAIT);
                JsonNode forA = a.await(
                        frame -> isAssignment(frame) && partitions(frame).size() < 4, WAIT);
                Set<Integer> union = new HashSet<>(partitions(forA));
                union.addAll(partitions(forB));
                assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3);
                assertThat(partitions(forA)).doesNotContainAnyElementsOf(partitions(forB));

                for (int p = 0; p < 4; p++) {
                    produce("grp-orders", p, "after" + p, 5);
                }
                assertThat(lag("g1")).isEqualTo(20);
                List<JsonNode> toA = new ArrayList<>();
                List<JsonNode> toB = new ArrayList<>();
                a.await(
                        frame -> collect(frame, toA)
                                && toA.size() == 5 * partitions(forA).size(),
                        WAIT);
                b.await(
                        frame -> collect(frame, toB)
                                && toB.size() == 5 * partitions(forB).size(),
                        WAIT);
                assertThat(toA)
                        .allSatisfy(r -> assertThat(partitions(forA))
                                .contains(r.path("partition").asInt()));
                assertThat(toB)
                        .allSatisfy(r -> assertThat(partitions(forB))
                                .contains(r.path("partition").asInt()));
                assertThat(toA)
                        .allSatisfy(r -> assertThat(r.path("offset").asLong()).isGreaterThanOrEqualTo(10));
            }
            // b left: a owns everything again and gets b's unacknowledged records from the committed offsets
            a.await(frame -> isAssignment(frame) && partitions(frame).size() == 4, WAIT);
            await().atMost(WAIT).until(() -> members("g1") == 1);
        }
        await().atMost(WAIT).until(() -> members("g1") == 0);
    }

    @Test
    void groupSubscriptionsNeedNoPartitionListAndAckNeedsAGroup() {
        createTopic("grp-errors", 1);
        try (WsTestClient client = WsTestClient.connect(port)) {
            client.send(
                    "{\"op\":\"subscribe\",\"id\":\"x\",\"topic\":\"grp-errors\",\"partitions\":[0],\"group\":{\"name\":\"g2\"}}");
            assertThat(client.await("error", "x").path("error_code").asInt()).isEqualTo(42201);
            client.send("{\"op\":\"subscribe\",\"id\":\"plain\",\"topic\":\"grp-errors\"}");
            client.await("caught_up", "plain");
            client.send("{\"op\":\"ack\",\"id\":\"plain\",\"offsets\":{\"0\":1}}");
            assertThat(client.await("error", "plain").path("error_code").asInt())
                    .isEqualTo(42201);
        }
    }

    private static boolean isAssignment(JsonNode frame) {
        return frame.path("type").asString().equals("assignment");
    }

    private static List<Integer> partitions(JsonNode assignment) {
        List<Integer> result = new ArrayList<>();
        assignment.path("partitions").forEach(p -> result.add(p.asInt()));
        return result;
    }

    private static boolean collect(JsonNode frame, List<JsonNode> records) {
        if (frame.path("type").asString().equals("records")) {
            frame.path("records").forEach(records::add);
        }
        return true;
    }

    private JsonNode view(String group) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/consumers/" + group))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return WsTestClient.JSON.readTree(response.body());
    }

    private long lag(String group) throws Exception {
        return view(group).path("total_lag").asLong();
    }

    private int members(String group) throws Exception {
        return view(group).path("members").size();
    }
}
