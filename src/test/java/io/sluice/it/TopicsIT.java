package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TopicsIT extends ServerIT {

    @Test
    void createReturnsTheDescriptionWithOffsetsAndEffectiveConfigs() {
        String name = topicName("orders");

        JsonNode topic = api.postJson(
                        "/topics",
                        "{\"name\":\"" + name + "\",\"partitions\":3,\"replication_factor\":1,"
                                + "\"configs\":{\"retention.ms\":\"60000\",\"segment.bytes\":1048576}}")
                .expect(201);

        assertThat(topic.get("name").stringValue()).isEqualTo(name);
        assertThat(topic.get("replication_factor").intValue()).isEqualTo(1);
        assertThat(topic.get("partitions")).hasSize(3);
        assertThat(topic.get("partitions").get(2).get("partition").intValue()).isEqualTo(2);
        assertThat(topic.get("partitions").get(2).get("end_offset").longValue()).isZero();
        assertThat(topic.get("configs").get("retention.ms").stringValue()).isEqualTo("60000");
        assertThat(topic.get("configs").get("segment.bytes").stringValue()).isEqualTo("1048576");
        assertThat(topic.get("configs").get("message.timestamp.type").stringValue())
                .isEqualTo("CreateTime");
        assertThat(api.get("/topics/" + name).expect(200)).isEqualTo(topic);
    }

    @Test
    void listNamesEveryTopicSorted() {
        String b = createTopic("list-b", 1);
        String a = createTopic("list-a", 1);

        JsonNode names = api.get("/topics").expect(200);

        assertThat(names.valueStream().map(JsonNode::stringValue))
                .contains(a, b)
                .isSorted();
    }

    @Test
    void creatingAnExistingTopicIsAConflict() {
        String name = createTopic("dup", 1);

        String message = api.postJson("/topics", "{\"name\":\"" + name + "\"}").expectError(409, 40902);

        assertThat(message).contains(name);
    }

    @Test
    void illegalNamesAreRejectedWithTheRule() {
        assertThat(api.postJson("/topics", "{\"name\":\"..\"}").expectError(422, 42202))
                .contains("'.' or '..'");
        byte[] tooLong = ("{\"name\":\"" + "x".repeat(250) + "\"}").getBytes();
        assertThat(api.sendInvalid("POST", "/topics", "application/json", tooLong)
                        .expectError(422, 42202))
                .contains("249");
    }

    @Test
    void replicationFactorOtherThanOneIsAClear422() {
        String message = api.postJson("/topics", "{\"name\":\"" + topicName("rf") + "\",\"replication_factor\":3}")
                .expectError(422, 42201);

        assertThat(message).contains("replication_factor 3").contains("single node");
    }

    @Test
    void unknownConfigOrBadValueIsA422NamingIt() {
        assertThat(api.postJson(
                                "/topics",
                                "{\"name\":\"" + topicName("cfg") + "\",\"configs\":{\"retention.mss\":\"1\"}}")
                        .expectError(422, 42202))
                .contains("retention.mss");
        assertThat(api.postJson(
                                "/topics",
                                "{\"name\":\"" + topicName("cfg") + "\",\"configs\":{\"segment.ms\":\"soon\"}}")
                        .expectError(422, 42202))
                .contains("segment.ms")
                .contains("soon");
        assertThat(api.postJson(
                                "/topics",
                                "{\"name\":\"" + topicName("cfg") + "\",\"configs\":{\"cleanup.policy\":\"compact\"}}")
                        .expectError(422, 42202))
                .contains("cleanup.policy");
    }

    @Test
    void alterAddsPartitionsAndChangesConfigsAtRuntime() {
        String name = createTopic("alter", 1, "{\"retention.ms\":\"1000\"}");

        JsonNode altered = api.send(
                        "PATCH",
                        "/topics/" + name,
                        "application/json",
                        "{\"partitions\":3,\"configs\":{\"retention.ms\":null,\"max.message.bytes\":\"2000\"}}"
                                .getBytes())
                .expect(200);

        assertThat(altered.get("partitions")).hasSize(3);
        assertThat(altered.get("configs").get("retention.ms").stringValue()).isEqualTo("604800000");
        assertThat(altered.get("configs").get("max.message.bytes").stringValue())
                .isEqualTo("2000");
        api.send(
                        "POST",
                        "/topics/" + name + "/partitions/2",
                        "application/json",
                        "{\"records\":[{\"value\":1}]}".getBytes())
                .expect(200);
        String tooBig = "{\"records\":[{\"value\":\"" + "x".repeat(3000) + "\"}]}";
        api.send("POST", "/topics/" + name + "/partitions/0", "application/json", tooBig.getBytes())
                .expectError(413, 41302);
    }

    @Test
    void unknownFieldsAreA422NamingThem() {
        String message = api.sendInvalid(
                        "POST",
                        "/topics",
                        "application/json",
                        ("{\"name\":\"" + topicName("typo") + "\",\"partitons\":3}").getBytes())
                .expectError(422, 42201);

        assertThat(message).contains("partitons");
    }

    @Test
    void partitionsCannotBeRemoved() {
        String name = createTopic("shrink", 2);

        String message = api.send("PATCH", "/topics/" + name, "application/json", "{\"partitions\":1}".getBytes())
                .expectError(422, 42202);

        assertThat(message).contains("never removed");
    }

    @Test
    void deleteRemovesTheFilesAndTheNameCanBeReused() {
        String name = createTopic("gone", 2);
        api.postJson("/topics/" + name, "{\"records\":[{\"value\":1},{\"value\":2}]}")
                .expect(200);
        Path partitionDir = dataDir().resolve("logs").resolve(name + "-0");
        assertThat(partitionDir).exists();

        api.send("DELETE", "/topics/" + name, null, null).expect(204);

        assertThat(partitionDir).doesNotExist();
        api.get("/topics/" + name).expectError(404, 40401);
        api.postJson("/topics", "{\"name\":\"" + name + "\",\"partitions\":1}").expect(201);
        JsonNode partition = api.get("/topics/" + name + "/partitions/0").expect(200);
        assertThat(partition.get("end_offset").longValue()).isZero();
        assertThat(Files.exists(dataDir().resolve("logs").resolve(name + "-1"))).isFalse();
    }

    @Test
    void partitionsAndOffsetsDescribeTheLog() {
        String name = createTopic("parts", 2);
        api.postJson("/topics/" + name + "/partitions/1", "{\"records\":[{\"value\":1},{\"value\":2}]}")
                .expect(200);

        JsonNode partitions = api.get("/topics/" + name + "/partitions").expect(200);
        JsonNode offsets = api.get("/topics/" + name + "/partitions/1/offsets").expect(200);

        assertThat(partitions).hasSize(2);
        assertThat(partitions.get(1).get("end_offset").longValue()).isEqualTo(2);
        assertThat(partitions.get(1).get("size_bytes").longValue()).isPositive();
        assertThat(offsets.get("beginning_offset").longValue()).isZero();
        assertThat(offsets.get("end_offset").longValue()).isEqualTo(2);
        api.get("/topics/" + name + "/partitions/7").expectError(404, 40402);
        api.get("/topics/nope-" + name + "/partitions").expectError(404, 40401);
    }
}
