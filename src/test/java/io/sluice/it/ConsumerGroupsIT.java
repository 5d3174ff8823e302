package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The consumer-group endpoints over a real server: instances, subscriptions, reads, commits, views and admin. */
class ConsumerGroupsIT extends ServerIT {

    private static final AtomicInteger GROUPS = new AtomicInteger();

    private Consumers consumers;

    @BeforeEach
    void consumers() {
        consumers = new Consumers(api);
    }

    private static String groupName() {
        return "group-" + GROUPS.incrementAndGet();
    }

    @Test
    void createdInstanceHasALeaseAndItsBaseUri() {
        String group = groupName();
        ApiClient.Response created = api.postJson("/consumers/" + group, "{\"name\":\"c1\",\"format\":\"binary\"}");
        JsonNode body = created.expect(200);

        assertThat(body.get("instance_id").stringValue()).isEqualTo("c1");
        assertThat(body.get("base_uri").stringValue())
                .isEqualTo("http://localhost:" + port + "/consumers/" + group + "/instances/c1");
        assertThat(body.get("lease_ms").longValue()).isEqualTo(300_000);
        assertThat(created.headers().get("sluice-lease-ms")).containsExactly("300000");
        JsonNode instance = api.get(Consumers.instancePath(group, "c1")).expect(200);
        assertThat(instance.get("format").stringValue()).isEqualTo("binary");
        assertThat(instance.get("lease_expires_at").longValue())
                .isGreaterThan(instance.get("last_seen").longValue());
    }

    @Test
    void baseUriHonoursForwardedHeaders() {
        String group = groupName();
        JsonNode body = api.postJson(
                        "/consumers/" + group,
                        "{}",
                        "X-Forwarded-Proto",
                        "https",
                        "X-Forwarded-Host",
                        "broker.example.com",
                        "X-Forwarded-Port",
                        "8443",
                        "X-Forwarded-Prefix",
                        "/sluice")
                .expect(200);

        String id = body.get("instance_id").stringValue();
        assertThat(body.get("base_uri").stringValue())
                .isEqualTo("https://broker.example.com:8443/sluice/consumers/" + group + "/instances/" + id);
    }

    @Test
    void aSecondInstanceWithALiveNameIsAConflict() {
        String group = groupName();
        consumers.create(group, "dup", "earliest");

        api.postJson("/consumers/" + group, "{\"name\":\"dup\"}").expectError(409, 40902);
    }

    @Test
    void deletedInstanceIsGoneWith40403SayingSo() {
        String group = groupName();
        consumers.create(group, "gone", "earliest");
        consumers.delete(group, "gone").expect(204);

        String message = consumers.read(group, "gone", 0).expectError(404, 40403);
        assertThat(message).contains("gone").contains("deleted");
        consumers.delete(group, "gone").expectError(404, 40403);
    }

    @Test
    void subscribedInstanceReadsEveryRecordAndCommits() {
        String topic = createTopic("consume", 3);
        String group = groupName();
        consumers.produce(topic, 0, 30, 7);
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);
        assertThat(consumers.assignment(group, "c1").get("partitions")).hasSize(3);

        List<JsonNode> records = new ArrayList<>();
        while (records.size() < 30) {
            ApiClient.Response read = consumers.read(group, "c1", 2000);
            read.expect(200).forEach(records::add);
            assertThat(read.headers()).containsKey("sluice-generation");
        }
        assertThat(records).extracting(r -> r.get("value").intValue()).containsExactlyInAnyOrderElementsOf(range(30));
        assertThat(records.get(0).get("topic").stringValue()).isEqualTo(topic);
        assertThat(records.get(0).has("timestamp")).isTrue();
        assertThat(records.get(0).get("headers").isArray()).isTrue();

        JsonNode committed = consumers.commitAll(group, "c1").expect(200);
        long total = 0;
        for (JsonNode offset : committed.get("offsets")) {
            total += offset.get("offset").longValue();
        }
        assertThat(total).isEqualTo(30);
        JsonNode view = consumers.describe(group);
        assertThat(view.get("state").stringValue()).isEqualTo("STABLE");
        assertThat(view.get("total_lag").longValue()).isZero();
        assertThat(view.get("members").get(0).get("assignment")).hasSize(3);
    }

    @Test
    void explicitCommitStoresTheOffsetAfterTheLastProcessedRecord() {
        String topic = createTopic("commit", 2);
        String group = groupName();
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);

        consumers
                .commit(group, "c1", "[{\"topic\":\"" + topic + "\",\"partition\":1,\"offset\":41}]")
                .expect(200);
        consumers.produce(topic, 0, 1, 1); // the first produce creates the log end the commit may exceed

        JsonNode one = api.get(Consumers.instancePath(group, "c1") + "/offsets?partition=" + topic + ":1")
                .expect(200)
                .get("offsets");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("offset").longValue()).isEqualTo(42);
        JsonNode all = api.get(Consumers.instancePath(group, "c1") + "/offsets").expect(200);
        assertThat(all.get("offsets")).hasSize(1);
    }

    @Test
    void commitForAPartitionNoLongerOwnedIs409AndChangesNothing() {
        String topic = createTopic("owner", 2);
        String group = groupName();
        consumers.produce(topic, 0, 20, 20);
        consumers.create(group, "a", "earliest");
        consumers.subscribe(group, "a", topic);
        assertThat(consumers.read(group, "a", 2000).expect(200)).isNotEmpty(); // "a" owns both partitions
        consumers.create(group, "b", "earliest");
        consumers.subscribe(group, "b", topic); // the rebalance gives "b" one of them
        int lost = consumers
                .assignment(group, "b")
                .get("partitions")
                .get(0)
                .get("partition")
                .intValue();
        assertThat(consumers.assignment(group, "a").get("partitions")).hasSize(1);

        String message = consumers
                .commit(group, "a", "[{\"topic\":\"" + topic + "\",\"partition\":" + lost + ",\"offset\":5}]")
                .expectError(409, 40903);

        assertThat(message).contains("does not own");
        assertThat(consumers.describe(group).get("partitions"))
                .allSatisfy(p -> assertThat(p.get("committed_offset").isNull()).isTrue());
    }

    @Test
    void concurrentReadsOfOneInstanceNeverShareRecords() throws Exception {
        String topic = createTopic("serial", 1);
        String group = groupName();
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);
        consumers.read(group, "c1", 0).expect(200); // positions initialised at the (empty) log end

        List<CompletableFuture<ApiClient.Response>> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> consumers.read(group, "c1", 5000)));
        }
        awaitWaitingReads(topic);
        consumers.produce(topic, 0, 10, 3);

        Set<Integer> seen = new HashSet<>();
        int returned = 0;
        for (CompletableFuture<ApiClient.Response> read : reads) {
            for (JsonNode record : read.get().expect(200)) {
                seen.add(record.get("offset").intValue());
                returned++;
            }
        }
        assertThat(returned).as("each record handed out once").isEqualTo(seen.size());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(10));
    }

    @Test
    void readOfAnInstanceWithoutPartitionsWaitsForTheAssignment() throws Exception {
        String topic = topicName("later");
        String group = groupName();
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic); // the topic does not exist yet

        CompletableFuture<ApiClient.Response> read =
                CompletableFuture.supplyAsync(() -> consumers.read(group, "c1", 20_000));
        api.postJson("/topics", "{\"name\":\"" + topic + "\",\"partitions\":1}").expect(201);
        consumers.produce(topic, 0, 1, 1);

        long start = System.nanoTime();
        JsonNode records = read.get().expect(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(records).hasSize(1);
    }

    @Test
    void patternSubscriptionPicksUpNewMatchingTopics() {
        String group = groupName();
        String prefix = "pat" + GROUPS.incrementAndGet();
        consumers.create(group, "c1", "earliest");
        api.postJson(Consumers.instancePath(group, "c1") + "/subscription", "{\"topic_pattern\":\"" + prefix + "-.*\"}")
                .expect(204);
        assertThat(consumers.assignment(group, "c1").get("partitions")).isEmpty();

        api.postJson("/topics", "{\"name\":\"" + prefix + "-a\",\"partitions\":2}")
                .expect(201);

        assertThat(consumers.assignment(group, "c1").get("partitions")).hasSize(2);
        JsonNode subscription =
                api.get(Consumers.instancePath(group, "c1") + "/subscription").expect(200);
        assertThat(subscription.get("topic_pattern").stringValue()).isEqualTo(prefix + "-.*");
        assertThat(subscription.get("topics").get(0).stringValue()).isEqualTo(prefix + "-a");
    }

    @Test
    void manualAssignmentAndPositions() {
        String topic = createTopic("manual", 2);
        String group = groupName();
        consumers.produce(topic, 0, 20, 20);
        consumers.create(group, "c1", "latest");
        String path = Consumers.instancePath(group, "c1");
        api.postJson(path + "/assignments", "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}")
                .expect(204);
        assertThat(consumers.assignment(group, "c1").get("manual").booleanValue())
                .isTrue();

        api.postJson(path + "/positions/beginning", "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}")
                .expect(204);
        JsonNode positions = api.get(path + "/positions").expect(200).get("offsets");
        assertThat(positions.get(0).get("offset").longValue()).isZero();
        api.postJson(path + "/positions", "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":2}]}")
                .expect(204);
        JsonNode records = consumers.read(group, "c1", 0).expect(200);
        assertThat(records.get(0).get("offset").longValue()).isEqualTo(2);
        assertThat(records)
                .allSatisfy(r -> assertThat(r.get("partition").intValue()).isZero());

        JsonNode byTime =
                api.postJson(path + "/positions/timestamp", "{\"timestamp\":0}").expect(200);
        assertThat(byTime.get("offsets").get(0).get("offset").longValue()).isZero();
        api.postJson(path + "/positions/end", "{}").expect(204);
        assertThat(consumers.read(group, "c1", 0).expect(200)).isEmpty();
        api.postJson(path + "/positions", "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":1,\"offset\":0}]}")
                .expectError(409, 40903);
    }

    @Test
    void resetPolicyNoneRefusesAReadWithoutAPosition() {
        String topic = createTopic("none", 1);
        String group = groupName();
        consumers.create(group, "c1", "none");
        consumers.subscribe(group, "c1", topic);

        consumers.read(group, "c1", 0).expectError(416, 41601);
    }

    @Test
    void offsetsOfAnEmptyGroupCanBeResetAndTheGroupDeleted() {
        String topic = createTopic("admin", 2);
        String group = groupName();
        consumers.produce(topic, 0, 10, 10);
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);
        consumers.read(group, "c1", 0).expect(200);
        consumers.commitAll(group, "c1").expect(200);
        api.send("DELETE", "/consumers/" + group, null, null).expectError(409, 40904);
        api.postJson("/consumers/" + group + "/offsets/reset", "{\"to\":\"earliest\"}")
                .expectError(409, 40904);

        consumers.delete(group, "c1").expect(204);
        JsonNode reset = api.postJson("/consumers/" + group + "/offsets/reset", "{\"to\":\"earliest\"}")
                .expect(200);
        assertThat(reset.get("offsets"))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.get("offset").longValue()).isZero());
        assertThat(consumers.describe(group).get("total_lag").longValue()).isEqualTo(10);
        JsonNode explicit = api.postJson(
                        "/consumers/" + group + "/offsets/reset",
                        "{\"to\":\"offsets\",\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":1}]}")
                .expect(200);
        assertThat(explicit.get("offsets")).hasSize(1);
        assertThat(api.get("/consumers").expect(200))
                .anySatisfy(g -> assertThat(g.get("group").stringValue()).isEqualTo(group));

        api.send("DELETE", "/consumers/" + group, null, null).expect(204);
        api.get("/consumers/" + group).expectError(404, 40404);
    }

    @Test
    void instanceRequestsWithBadBodiesAre422Or400() {
        String group = groupName();
        api.sendInvalid("POST", "/consumers/" + group, "application/json", "{\"format\":\"avro\"}".getBytes())
                .expectError(422, 42202);
        consumers.create(group, "c1", "earliest");
        String path = Consumers.instancePath(group, "c1");
        api.sendInvalid(
                        "POST",
                        path + "/subscription",
                        "application/json",
                        "{\"topics\":[\"a\"],\"topic_pattern\":\"b\"}".getBytes())
                .expectError(422, 42201);
        api.sendInvalid("POST", path + "/subscription", "application/json", "{\"topics\":".getBytes())
                .expectError(400, 40001);
        api.sendInvalid("GET", path + "/offsets?partition=nocolon", null, null).expectError(422, 42202);
    }

    @Test
    void binaryInstanceReadsBase64InItsOwnMediaType() {
        String topic = createTopic("binary", 1);
        String group = groupName();
        api.postJson("/topics/" + topic, "{\"records\":[{\"key\":\"k\",\"value\":{\"n\":1}}]}")
                .expect(200);
        api.postJson("/consumers/" + group, "{\"name\":\"b\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}")
                .expect(200);
        consumers.subscribe(group, "b", topic);
        String path = Consumers.instancePath(group, "b") + "/records?timeout=2000";

        api.get(path, "Accept", "application/vnd.kafka.json.v2+json").expectError(406, 40601);
        ApiClient.Response read = api.get(path, "Accept", "application/vnd.kafka.binary.v2+json");

        assertThat(read.contentType()).startsWith("application/vnd.kafka.binary.v2+json");
        JsonNode record = read.expect(200).get(0);
        assertThat(record.get("value").stringValue())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("{\"n\":1}".getBytes()));
        assertThat(record.get("key").stringValue())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("\"k\"".getBytes()));
    }

    @Test
    void autoCommitInstanceCommitsWhatItReadWhenItLeaves() {
        String topic = createTopic("auto", 1);
        String group = groupName();
        consumers.produce(topic, 0, 5, 5);
        api.postJson("/consumers/" + group, "{\"name\":\"a\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\"}")
                .expect(200);
        consumers.subscribe(group, "a", topic);
        assertThat(consumers.read(group, "a", 2000).expect(200)).hasSize(5);

        consumers.delete(group, "a").expect(204);

        JsonNode partition = consumers.describe(group).get("partitions").get(0);
        assertThat(partition.get("committed_offset").longValue()).isEqualTo(5);
        assertThat(partition.get("lag").longValue()).isZero();
    }

    @Test
    void wrongMethodOnAConsumerPathIs405WithAllow() {
        ApiClient.Response response = api.sendUnchecked("PUT", "/consumers/" + groupName(), null, null);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().get("allow").get(0))
                .contains("GET")
                .contains("POST")
                .contains("DELETE");
    }

    @Test
    void topicChangesReachTheGroupWithinTheAdminRequest() {
        String topic = createTopic("grow", 1);
        String other = createTopic("doomed", 1);
        String group = groupName();
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic, other);
        int generation = consumers.assignment(group, "c1").get("generation").intValue();

        api.send("PATCH", "/topics/" + topic, "application/json", "{\"partitions\":3}".getBytes())
                .expect(200);
        JsonNode grown = consumers.assignment(group, "c1");
        assertThat(grown.get("partitions")).hasSize(4);
        assertThat(grown.get("generation").intValue()).isGreaterThan(generation);

        api.send("DELETE", "/topics/" + other, null, null).expect(204);
        assertThat(consumers.assignment(group, "c1").get("partitions"))
                .hasSize(3)
                .allSatisfy(p -> assertThat(p.get("topic").stringValue()).isEqualTo(topic));
        assertThat(consumers.read(group, "c1", 0).expect(200)).isEmpty();
    }

    private void awaitWaitingReads(String topic) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/actuator/prometheus")
                        .text()
                        .lines()
                        .anyMatch(l -> l.startsWith("sluice_fetch_waiting") && !l.endsWith(" 0.0")));
    }

    private static List<Integer> range(int n) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(i);
        }
        return values;
    }
}
