package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Leases and retention in real time (3 s lease): expiry reassigns partitions; retention resets a position once. */
class GroupLeaseIT extends GroupServerIT {

    @Test
    void silentInstanceExpiresAndItsPartitionsMoveToTheOther() {
        String topic = createTopic("lease", 4, "{}");
        String group = name("g");
        consumers.create(group, "alive", "earliest");
        consumers.create(group, "silent", "earliest");
        consumers.subscribe(group, "alive", topic);
        consumers.subscribe(group, "silent", topic);
        assertThat(consumers.assignment(group, "alive").get("partitions")).hasSize(2);

        // "alive" keeps calling (a read renews the lease); "silent" never calls again
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    consumers.read(group, "alive", 200).expect(200);
                    return consumers
                                    .assignment(group, "alive")
                                    .get("partitions")
                                    .size()
                            == 4;
                });

        String message = consumers.read(group, "silent", 0).expectError(404, 40403);
        assertThat(message).contains("expired");
        JsonNode view = consumers.describe(group);
        assertThat(view.get("members")).hasSize(1);
        assertThat(view.get("generation").intValue()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aWaitingReadKeepsItsInstanceAlive() {
        String topic = createTopic("wait", 1, "{}");
        String group = name("g");
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);

        // the wait is capped at half the 3 s lease, so back-to-back long-polls never let the lease run out
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(consumers.read(group, "c1", 60_000).expect(200)).isEmpty();
            // far below the 60 s asked for (generous bound: the build machine is shared)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        consumers.assignment(group, "c1"); // still alive
    }

    @Test
    void retentionMovesThePositionByThePolicyAndTheReadSaysSo() {
        // 1 KB segments and at most ~2 KB kept: every produce request below fills its own segment
        String topic = createTopic("retention", 1, "{\"segment.bytes\":\"1024\",\"retention.bytes\":\"2048\"}");
        String group = name("g");
        String path = Consumers.instancePath(group, "c1");
        consumers.create(group, "c1", "earliest");
        api.postJson(path + "/assignments", "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}")
                .expect(204);
        consumers.produce(topic, 0, 10, 10);
        JsonNode first = consumers.read(group, "c1", 0, 5).expect(200);
        assertThat(first).hasSize(5);

        for (int i = 1; i <= 40; i++) {
            consumers.produce(topic, i * 10, 10, 10);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/topics/" + topic + "/partitions/0")
                                .expect(200)
                                .get("beginning_offset")
                                .longValue()
                        > 5);
        long logStart = api.get("/topics/" + topic + "/partitions/0")
                .expect(200)
                .get("beginning_offset")
                .longValue();

        ApiClient.Response moved = consumers.read(group, "c1", 0, 5);
        JsonNode records = moved.expect(200);
        List<String> reset = moved.headers().get("sluice-position-reset");
        assertThat(reset).hasSize(1);
        assertThat(reset.get(0))
                .startsWith(topic + ":0 from=5 to=")
                .contains("policy=earliest")
                .contains("reason=before_log_start");
        assertThat(records.get(0).get("offset").longValue()).isGreaterThanOrEqualTo(logStart);
        long after = records.get(records.size() - 1).get("offset").longValue() + 1;
        ApiClient.Response next = consumers.read(group, "c1", 0, 5);
        JsonNode nextRecords = next.expect(200);
        assertThat(nextRecords).isNotEmpty();
        List<String> again = next.headers().get("sluice-position-reset");
        if (again == null) {
            assertThat(nextRecords.get(0).get("offset").longValue()).isEqualTo(after); // went on where it stopped
        } else {
            // retention ran again meanwhile: a new reset from the advanced position, never the old one repeated
            assertThat(again.get(0)).startsWith(topic + ":0 from=" + after + " to=");
        }
    }
}
