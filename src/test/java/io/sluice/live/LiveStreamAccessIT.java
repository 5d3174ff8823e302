package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.security.AclFilter;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What an authenticated live stream may do when security is on: every WebSocket operation is checked against the ACLs
 * (denials are recoverable 40301 error frames that do not tell whether the topic exists), SSE needs READ to start, the
 * statistics feed shows only describable topics, and security changes reach streams that are already open (key
 * revocation and JWT expiry end them, ACL removal ends what is no longer allowed).
 */
class LiveStreamAccessIT extends SecureServerSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static String subscribe(String id, String topic) {
        return "{\"op\":\"subscribe\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\",\"from\":\"earliest\"}";
    }

    private static String produceFrame(String correlation, String topic) {
        return "{\"op\":\"produce\",\"correlation_id\":\"" + correlation + "\",\"topic\":\"" + topic
                + "\",\"records\":[{\"value\":{\"n\":1}}]}";
    }

    @Test
    void withoutAclsEveryOperationIsARecoverableDenialThatLeaksNothing() throws Exception {
        Caller alice = caller("alice");
        String topic = newTopic("secret", 1);
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket(alice.key()))) {
            socket.send(subscribe("s1", topic));
            JsonNode existing = socket.await("error", "s1");
            socket.send(subscribe("s2", "no-such-topic-" + topic));
            JsonNode missing = socket.await("error", "s2");
            socket.send(produceFrame("p1", topic));
            JsonNode produce =
                    socket.await(f -> f.path("correlation_id").asString("").equals("p1"), WAIT);

            for (JsonNode denial : List.of(existing, missing, produce)) {
                assertThat(denial.path("error_code").asInt()).isEqualTo(40301);
                assertThat(denial.path("fatal").asBoolean()).isFalse();
                assertThat(denial.path("message").asString()).doesNotContain("not found", "exist");
            }
            assertThat(existing.path("message").asString())
                    .isEqualTo(missing.path("message").asString().replace("no-such-topic-", ""));

            // the socket stayed open, and a grant made now applies at once
            allow(alice.name(), ResourceType.TOPIC, topic, Operation.READ, Operation.WRITE);
            socket.send(produceFrame("p2", topic));
            assertThat(socket.await("produced", null).path("correlation_id").asString())
                    .isEqualTo("p2");
            socket.send(subscribe("s3", topic));
            assertThat(socket.await("records", "s3").toString()).contains("\"n\":1");
        }
        try (SseTestReader sse = new SseTestReader(
                "http://localhost:" + port + "/topics/" + topic + "/events?ticket=" + ticket(alice.key()),
                "text/event-stream",
                null)) {
            assertThat(sse.response.statusCode())
                    .as("READ is enough for SSE now")
                    .isEqualTo(200);
        }
    }

    @Test
    void sseAndFollowNeedReadOnTheTopicToStart() throws Exception {
        Caller bob = caller("bob");
        String topic = newTopic("closed", 1);

        assertThat(get("/topics/" + topic + "/events?ticket=" + ticket(bob.key()), null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("/topics/" + topic + "/partitions/0/records?follow=true&ticket=" + ticket(bob.key()), null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("/topics/nope-" + topic + "/events?ticket=" + ticket(bob.key()), null)
                        .statusCode())
                .as("the same answer for a topic that does not exist")
                .isEqualTo(403);
    }

    @Test
    void groupMembersNeedReadOnTheGroupAsWell() throws Exception {
        Caller carol = caller("carol");
        String topic = newTopic("billing", 2);
        String group = unique("billing-group");
        allow(carol.name(), ResourceType.TOPIC, topic, Operation.READ);
        String join = "{\"op\":\"subscribe\",\"id\":\"m\",\"topic\":\"" + topic + "\",\"group\":{\"name\":\"" + group
                + "\"},\"from\":\"earliest\"}";
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket(carol.key()))) {
            socket.send(join);
            assertThat(socket.await("error", "m").path("error_code").asInt()).isEqualTo(40301);

            allow(carol.name(), ResourceType.GROUP, group, Operation.READ);
            socket.send(join);
            assertThat(socket.await("assignment", "m").path("partitions")).hasSize(2);
            socket.send("{\"op\":\"ack\",\"id\":\"m\",\"offsets\":{\"0\":0}}");
            assertThat(socket.await("acked", "m").path("offsets").path("0").asLong())
                    .isZero();
        }
    }

    @Test
    void theStatisticsFeedShowsOnlyDescribableTopics() throws Exception {
        Caller dave = caller("dave");
        String visible = newTopic("stats-visible", 1);
        String hidden = newTopic("stats-hidden", 1);
        allow(dave.name(), ResourceType.TOPIC, visible, Operation.DESCRIBE);
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket(dave.key()))) {
            socket.send("{\"op\":\"stats_subscribe\"}");
            JsonNode stats = socket.await(
                    f -> f.path("type").asString().equals("stats")
                            && f.path("topics").toString().contains(visible),
                    WAIT);
            List<String> names = new ArrayList<>();
            stats.path("topics").forEach(t -> names.add(t.path("topic").asString()));
            assertThat(names).containsExactly(visible).doesNotContain(hidden);
        }
    }

    @Test
    void revokingTheKeyClosesItsOpenWebSocketSseAndFollowStreamsAtOnce() throws Exception {
        Caller erin = caller("erin");
        String topic = newTopic("revoke", 1);
        allow(erin.name(), ResourceType.TOPIC, topic, Operation.READ);
        produce(topic, 0, "r", 1);
        String base = "http://localhost:" + port + "/topics/" + topic;
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket(erin.key()));
                SseTestReader sse = new SseTestReader(
                        base + "/events?from=earliest&ticket=" + ticket(erin.key()), "text/event-stream", null);
                SseTestReader follow = new SseTestReader(
                        base + "/partitions/0/records?follow=true&offset=0&ticket=" + ticket(erin.key()),
                        "application/x-ndjson",
                        null)) {
            socket.send(subscribe("s", topic));
            socket.await("records", "s");
            sse.nextEvent("record", WAIT);
            follow.nextLine(WAIT);

            long start = System.nanoTime();
            credentials.revokeKey(erin.name(), erin.keyId());

            JsonNode last = socket.await("error", null);
            assertThat(last.path("error_code").asInt()).isEqualTo(40101);
            assertThat(last.path("fatal").asBoolean()).isTrue();
            assertThat(socket.closeStatus(WAIT)).isEqualTo(1008);
            long wsMillis = (System.nanoTime() - start) / 1_000_000;
            SseTestReader.Event error = sse.nextEvent("error", WAIT);
            assertThat(error.data()).contains("40101");
            assertThat(sse.endsWithin(WAIT)).isTrue();
            assertThat(nextNonBlank(follow)).contains("40101");
            assertThat(follow.endsWithin(WAIT)).isTrue();
            long allMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                    "revocation: WebSocket closed after %d ms, all three streams ended after %d ms%n",
                    wsMillis, allMillis);
            assertThat(allMillis).isLessThan(2_000);
        }
    }

    @Test
    void deletingThePrincipalClosesTheStreamsOfAllItsKeys() throws Exception {
        Caller hank = caller("hank");
        String second = credentials.issueKey(hank.name()).key();
        String topic = newTopic("deleted", 1);
        allow(hank.name(), ResourceType.TOPIC, topic, Operation.READ);
        try (WsTestClient first = WsTestClient.connectWithTicket(port, ticket(hank.key()));
                WsTestClient other = WsTestClient.connectWithBearer(port, second)) {
            first.send(subscribe("s", topic));
            other.send(subscribe("s", topic));
            first.await("caught_up", "s");
            other.await("caught_up", "s");

            credentials.deletePrincipal(hank.name());

            assertThat(first.await("error", null).path("error_code").asInt()).isEqualTo(40101);
            assertThat(other.await("error", null).path("error_code").asInt()).isEqualTo(40101);
            assertThat(first.closeStatus(WAIT)).isEqualTo(1008);
            assertThat(other.closeStatus(WAIT)).isEqualTo(1008);
        }
    }

    @Test
    void removingAnAclEndsTheSubscriptionsItAllowedButKeepsTheSocket() throws Exception {
        Caller frank = caller("frank");
        String kept = newTopic("acl-kept", 1);
        String lost = newTopic("acl-lost", 1);
        allow(frank.name(), ResourceType.TOPIC, kept, Operation.READ);
        allow(frank.name(), ResourceType.TOPIC, lost, Operation.READ);
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket(frank.key()));
                SseTestReader sse = new SseTestReader(
                        "http://localhost:" + port + "/topics/" + lost + "/events?ticket=" + ticket(frank.key()),
                        "text/event-stream",
                        null)) {
            socket.send(subscribe("kept", kept));
            socket.send(subscribe("lost", lost));
            socket.await("caught_up", "kept");
            socket.awaitOrSeen("caught_up", "lost");
            sse.nextEvent(WAIT);

            acls.delete(new AclFilter(
                    Optional.of(frank.name()),
                    Optional.of(ResourceType.TOPIC),
                    Optional.of(lost),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));

            JsonNode denial = socket.await("error", "lost");
            assertThat(denial.path("error_code").asInt()).isEqualTo(40301);
            assertThat(denial.path("fatal").asBoolean()).isFalse();
            assertThat(sse.nextEvent("error", WAIT).data()).contains("40301");
            assertThat(sse.endsWithin(WAIT)).isTrue();
            produce(kept, 0, "still", 1);
            assertThat(socket.await("records", "kept").toString()).contains("still-0");
        }
    }

    @Test
    void aStreamOpenedWithAJwtEndsWhenTheTokenExpires() throws Exception {
        String subject = unique("gina");
        String topic = newTopic("jwt", 1);
        allow(subject, ResourceType.TOPIC, topic, Operation.READ);
        Instant expiry = Instant.ofEpochSecond(Instant.now().plusSeconds(3).getEpochSecond());
        String token = jwt(subject, expiry);
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket(token));
                SseTestReader sse = new SseTestReader(
                        "http://localhost:" + port + "/topics/" + topic + "/events",
                        "text/event-stream",
                        null,
                        token)) {
            socket.send(subscribe("s", topic));
            socket.await("caught_up", "s");

            assertThat(sse.nextEvent("error", WAIT).data()).contains("40101");
            assertThat(socket.closeStatus(WAIT)).isEqualTo(1008);
            long lateMillis = System.currentTimeMillis() - expiry.toEpochMilli();
            System.out.printf("JWT expiry: streams ended %d ms after exp%n", lateMillis);
            assertThat(lateMillis).isBetween(0L, 2_500L);
        }
    }

    private static String nextNonBlank(SseTestReader reader) throws InterruptedException {
        String line;
        do {
            line = reader.nextLine(WAIT);
        } while (line.isBlank());
        return line;
    }
}
