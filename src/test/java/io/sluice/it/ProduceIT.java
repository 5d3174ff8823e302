package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProduceIT extends ServerIT {

    private static final String TEXT = "application/vnd.sluice.text.v2+json";
    private static final String BINARY = "application/vnd.kafka.binary.v2+json";

    @Test
    void keyedRecordsLandWhereKafkasDefaultPartitionerPutsThem() {
        String topic = createTopic("keyed", 7);
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            records.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"user-")
                    .append(i)
                    .append("\",\"value\":\"v\"}");
        }

        JsonNode offsets = api.send("POST", "/topics/" + topic, TEXT, ("{\"records\":[" + records + "]}").getBytes())
                .expect(200)
                .get("offsets");

        for (int i = 0; i < 200; i++) {
            byte[] key = ("user-" + i).getBytes(StandardCharsets.UTF_8);
            assertThat(offsets.get(i).get("partition").intValue())
                    .as("user-%d", i)
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key, 7));
        }
    }

    @Test
    void sameKeyAlwaysLandsOnTheSamePartitionWithDenseOffsets() {
        String topic = createTopic("stable", 4);

        JsonNode first = api.postJson("/topics/" + topic, "{\"records\":[{\"key\":42,\"value\":1}]}")
                .expect(200)
                .get("offsets")
                .get(0);
        JsonNode second = api.postJson("/topics/" + topic, "{\"records\":[{\"key\":42,\"value\":2}]}")
                .expect(200)
                .get("offsets")
                .get(0);

        assertThat(second.get("partition")).isEqualTo(first.get("partition"));
        assertThat(second.get("offset").longValue())
                .isEqualTo(first.get("offset").longValue() + 1);
    }

    @Test
    void keylessRecordsOfOneRequestStickToOnePartitionAndRequestsSpread() {
        String topic = createTopic("keyless", 3);
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            JsonNode offsets = api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1},{\"value\":2}]}")
                    .expect(200)
                    .get("offsets");
            assertThat(offsets.get(0).get("partition")).isEqualTo(offsets.get(1).get("partition"));
            used.add(offsets.get(0).get("partition").intValue());
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void binaryValuesHeadersAndTimestampsRoundTrip() {
        String topic = createTopic("binary", 1);
        byte[] value = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
        String b64 = Base64.getEncoder().encodeToString(value);
        String header = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x80});
        String body = "{\"records\":[{\"key\":\"" + Base64.getEncoder().encodeToString("k".getBytes())
                + "\",\"value\":\""
                + b64 + "\",\"headers\":[{\"key\":\"h\",\"value\":\"" + header + "\"},{\"key\":\"n\",\"value\":null}],"
                + "\"timestamp\":1234567}]}";

        api.send("POST", "/topics/" + topic, BINARY, body.getBytes()).expect(200);
        JsonNode record = api.get("/topics/" + topic + "/partitions/0/records?offset=0", "Accept", BINARY)
                .expect(200)
                .get(0);

        assertThat(record.get("value").stringValue()).isEqualTo(b64);
        assertThat(record.get("key").stringValue())
                .isEqualTo(Base64.getEncoder().encodeToString("k".getBytes()));
        assertThat(record.get("timestamp").longValue()).isEqualTo(1234567L);
        assertThat(record.get("timestamp_type").stringValue()).isEqualTo("CreateTime");
        assertThat(record.get("headers").get(0).get("key").stringValue()).isEqualTo("h");
        assertThat(record.get("headers").get(0).get("value").stringValue()).isEqualTo(header);
        assertThat(record.get("headers").get(1).get("value").isNull()).isTrue();
    }

    @Test
    void jsonValuesComeBackAsTheSameJson() {
        String topic = createTopic("json", 1);

        api.send(
                        "POST",
                        "/topics/" + topic,
                        "application/vnd.kafka.json.v2+json",
                        "{\"records\":[{\"key\":{\"id\":1},\"value\":{\"a\":[1,2,{\"b\":null}],\"s\":\"x\"}}]}"
                                .getBytes())
                .expect(200);
        JsonNode record = api.get("/topics/" + topic + "/partitions/0/records?offset=0")
                .expect(200)
                .get(0);

        assertThat(record.get("key").toString()).isEqualTo("{\"id\":1}");
        assertThat(record.get("value").toString()).isEqualTo("{\"a\":[1,2,{\"b\":null}],\"s\":\"x\"}");
        assertThat(record.get("topic").stringValue()).isEqualTo(topic);
        assertThat(record.get("partition").intValue()).isZero();
    }

    @Test
    void logAppendTimeTopicsStampRecordsWithTheBrokersClock() {
        String topic = createTopic("appendtime", 1, "{\"message.timestamp.type\":\"LogAppendTime\"}");
        long before = System.currentTimeMillis();

        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1,\"timestamp\":5}]}")
                .expect(200);
        JsonNode record = api.get("/topics/" + topic + "/partitions/0/records?offset=0")
                .expect(200)
                .get(0);

        assertThat(record.get("timestamp_type").stringValue()).isEqualTo("LogAppendTime");
        assertThat(record.get("timestamp").longValue()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void rawOctetStreamProducesOneRecordWithTheKeyParameter() {
        String topic = createTopic("raw", 3);
        byte[] value = "plain bytes \u00e9".getBytes(StandardCharsets.UTF_8);

        JsonNode offset = api.send("POST", "/topics/" + topic + "?key=alice", "application/octet-stream", value)
                .expect(200)
                .get("offsets")
                .get(0);

        int partition = offset.get("partition").intValue();
        assertThat(partition).isEqualTo(BuiltInPartitioner.partitionForKey("alice".getBytes(), 3));
        JsonNode record = api.get("/topics/" + topic + "/partitions/" + partition + "/records?offset=0", "Accept", TEXT)
                .expect(200)
                .get(0);
        assertThat(record.get("key").stringValue()).isEqualTo("alice");
        assertThat(record.get("value").stringValue()).isEqualTo("plain bytes \u00e9");
    }

    @Test
    void partitionPathPinsEveryRecord() {
        String topic = createTopic("pinned", 3);

        JsonNode offsets = api.postJson(
                        "/topics/" + topic + "/partitions/2", "{\"records\":[{\"key\":\"a\"},{\"key\":\"b\"}]}")
                .expect(200)
                .get("offsets");

        assertThat(offsets.get(0).get("partition").intValue()).isEqualTo(2);
        assertThat(offsets.get(1).get("partition").intValue()).isEqualTo(2);
        assertThat(offsets.get(1).get("offset").longValue()).isEqualTo(1);
        api.postJson("/topics/" + topic + "/partitions/3", "{\"records\":[{\"value\":1}]}")
                .expectError(404, 40402);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1,\"partition\":9}]}")
                .expectError(404, 40402);
    }

    @Test
    void badRecordFieldsAre422sNamingTheField() {
        String topic = createTopic("badfields", 1);

        assertThat(api.send(
                                "POST",
                                "/topics/" + topic,
                                BINARY,
                                "{\"records\":[{\"value\":\"AA==\"},{\"value\":\"%%%\"}]}".getBytes())
                        .expectError(422, 42202))
                .contains("records[1].value");
        assertThat(api.sendInvalid(
                                "POST",
                                "/topics/" + topic,
                                "application/json",
                                "{\"records\":[{\"value\":1,\"colour\":\"red\"}]}".getBytes())
                        .expectError(422, 42201))
                .contains("colour");
        api.sendInvalid("POST", "/topics/" + topic, "application/json", "{\"records\":[]}".getBytes())
                .expectError(422, 42201);
        api.postJson("/topics/missing-" + topic, "{\"records\":[{\"value\":1}]}")
                .expectError(404, 40401);
    }

    @Test
    void idempotencyKeyRetryReturnsTheOriginalOffsetsAndWritesNothing() {
        String topic = createTopic("idem", 3);
        String body = "{\"records\":[{\"value\":1},{\"key\":\"k\",\"value\":2},{\"value\":3}]}";
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":0}]}").expect(200);

        JsonNode first = api.postJson("/topics/" + topic, body, "Idempotency-Key", "order-17")
                .expect(200);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":0}]}").expect(200);
        JsonNode retry = api.postJson("/topics/" + topic, body, "Idempotency-Key", "order-17")
                .expect(200);

        assertThat(retry).isEqualTo(first);
        long total = 0;
        for (JsonNode partition : api.get("/topics/" + topic + "/partitions").expect(200)) {
            total += partition.get("end_offset").longValue();
        }
        assertThat(total).isEqualTo(5);
        JsonNode other = api.postJson("/topics/" + topic, body, "Idempotency-Key", "order-18")
                .expect(200);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aTopicWithFlushMsIsFsyncedAndCheckpointedByThePeriodicCheck() {
        String topic = createTopic("timed-flush", 1, "{\"flush.ms\":\"100\"}");

        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":\"a\"},{\"value\":\"b\"}]}")
                .expect(200);

        // the recovery point is written only by a flush check (or a clean shutdown), which must run on its own
        Path checkpoint = dataDir().resolve("logs").resolve(topic + "-0").resolve("recovery-point-checkpoint");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(checkpoint).exists().content().isEqualTo("1\n2\n"));
    }
}
