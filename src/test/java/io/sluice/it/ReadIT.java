package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ReadIT extends ServerIT {

    @Test
    void waitingReadAnswersAsSoonAsARecordArrives() throws Exception {
        String topic = createTopic("longpoll", 1);
        CompletableFuture<ApiClient.Response> read = CompletableFuture.supplyAsync(
                () -> api.get("/topics/" + topic + "/partitions/0/records?offset=0&timeout=30000"));
        awaitWaitingRead();
        assertThat(read).isNotDone();

        long start = System.nanoTime();
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":\"hello\"}]}")
                .expect(200);
        JsonNode records = read.get().expect(200);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("value").stringValue()).isEqualTo("hello");
    }

    @Test
    void readWithNothingNewAnswersAnEmptyArrayAfterTheTimeout() {
        String topic = createTopic("timeout", 1);
        long start = System.nanoTime();

        JsonNode records = api.get("/topics/" + topic + "/partitions/0/records?offset=0&timeout=400")
                .expect(200);

        assertThat(records.isArray()).isTrue();
        assertThat(records).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void timeoutIsCappedByTheConfiguredMaximumWait() {
        String topic = createTopic("cap", 1);
        long start = System.nanoTime();

        JsonNode records = api.get("/topics/" + topic + "/partitions/0/records?offset=0&timeout=600000")
                .expect(200);

        assertThat(records).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(10));
    }

    @Test
    void offsetOutsideTheLogIsA416StatingTheValidRange() {
        String topic = createTopic("range", 1);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1},{\"value\":2}]}")
                .expect(200);

        String message =
                api.get("/topics/" + topic + "/partitions/0/records?offset=5").expectError(416, 41601);

        assertThat(message).contains("offset 5").contains("0 to 2");
    }

    @Test
    void readsStartAtTheOffsetAndRespectMaxRecords() {
        String topic = createTopic("window", 1);
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            records.append(i == 0 ? "" : ",").append("{\"value\":").append(i).append('}');
        }
        api.postJson("/topics/" + topic, "{\"records\":[" + records + "]}").expect(200);

        JsonNode read = api.get("/topics/" + topic + "/partitions/0/records?offset=7&max_records=5")
                .expect(200);

        assertThat(read).hasSize(5);
        assertThat(read.get(0).get("offset").longValue()).isEqualTo(7);
        assertThat(read.get(4).get("value").intValue()).isEqualTo(11);
    }

    @Test
    void valueThatIsNotJsonGets406NamingTheOffsetButReadsAsBinary() {
        String topic = createTopic("notjson", 1);
        api.send("POST", "/topics/" + topic, "application/octet-stream", new byte[] {'{', 'x'})
                .expect(200);

        String message =
                api.get("/topics/" + topic + "/partitions/0/records?offset=0").expectError(406, 40601);

        assertThat(message).contains("offset 0").contains("not JSON");
        assertThat(api.get(
                                "/topics/" + topic + "/partitions/0/records?offset=0",
                                "Accept",
                                "application/vnd.kafka.binary.v2+json")
                        .expect(200)
                        .get(0)
                        .get("value")
                        .stringValue())
                .isEqualTo("e3g=");
        api.send("POST", "/topics/" + topic, "application/octet-stream", new byte[] {(byte) 0xc3})
                .expect(200);
        assertThat(api.get(
                                "/topics/" + topic + "/partitions/0/records?offset=1",
                                "Accept",
                                "application/vnd.sluice.text.v2+json")
                        .expectError(406, 40601))
                .contains("offset 1")
                .contains("UTF-8");
    }

    @Test
    void offsetsByTimestampFindTheFirstRecordAtOrAfterIt() {
        String topic = createTopic("bytime", 1);
        api.postJson(
                        "/topics/" + topic,
                        "{\"records\":[{\"value\":1,\"timestamp\":1000},{\"value\":2,\"timestamp\":2000},"
                                + "{\"value\":3,\"timestamp\":3000}]}")
                .expect(200);

        JsonNode found = api.get("/topics/" + topic + "/partitions/0/offsets?timestamp=1500")
                .expect(200);
        JsonNode none = api.get("/topics/" + topic + "/partitions/0/offsets?timestamp=9000")
                .expect(200);

        assertThat(found.get("offset").longValue()).isEqualTo(1);
        assertThat(found.get("timestamp").longValue()).isEqualTo(2000);
        assertThat(none.get("offset").longValue()).isEqualTo(3);
        assertThat(none.get("timestamp").isNull()).isTrue();
    }

    @Test
    void bytesDamagedOnDiskAreReportedAsAnErrorNeverServedAsRecords() throws Exception {
        String topic = topicWithDamagedSecondBatch("rot");

        String message =
                api.get("/topics/" + topic + "/partitions/0/records?offset=1").expectError(503, 50302);

        assertThat(message).contains("batch at offset 1 is damaged on disk");
        assertThat(api.get("/topics/" + topic + "/partitions/0/records?offset=0&max_bytes=1")
                        .expect(200)
                        .get(0)
                        .get("value")
                        .stringValue())
                .isEqualTo("first");
    }
}
