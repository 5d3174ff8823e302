package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Who may open a live stream when security is on: WebSocket ({@code /ws}), SSE ({@code /topics/{t}/events}) and
 * NDJSON follow, with no credentials, a wrong key, a revoked key, and stream tickets that are valid, expired, reused,
 * forged or presented where tickets are not accepted.
 */
class LiveStreamAuthenticationIT extends SecureServerSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private String events(String topic, String query) {
        return "/topics/" + topic + "/events?from=earliest" + query;
    }

    @Test
    void withoutCredentialsNoStreamOpens() throws Exception {
        String topic = newTopic("anon", 1);

        assertThat(handshakeStatus("", null)).isEqualTo(401);
        HttpResponse<String> sse = get(events(topic, ""), null);
        assertThat(sse.statusCode()).isEqualTo(401);
        assertThat(sse.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(get("/topics/" + topic + "/partitions/0/records?follow=true", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(requestTicket(null).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongKeyOpensNothingAndGetsNoTicket() throws Exception {
        String topic = newTopic("wrong", 1);
        String wrong = "sluice_notARealKeyAtAll0123456789abcdefghijklmnop";

        assertThat(handshakeStatus("", wrong)).isEqualTo(401);
        assertThat(get(events(topic, ""), wrong).statusCode()).isEqualTo(401);
        assertThat(requestTicket(wrong).statusCode()).isEqualTo(401);
    }

    @Test
    void aValidTicketOpensAWebSocketAndAnSseStreamOnce() throws Exception {
        Caller alice = caller("alice");
        String topic = newTopic("once", 1);
        allow(alice.name(), ResourceType.TOPIC, topic, Operation.READ);
        produce(topic, 0, "v", 2);

        JsonNode issued = ticketResponse(alice.key());
        assertThat(issued.path("principal").asString()).isEqualTo(alice.name());
        assertThat(issued.path("expires_at").asLong()).isGreaterThan(System.currentTimeMillis());
        String ticket = issued.path("ticket").asString();
        try (WsTestClient socket = WsTestClient.connectWithTicket(port, ticket)) {
            socket.send("{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\",\"from\":\"earliest\"}");
            assertThat(socket.await("records", "s").path("records")).hasSize(2);
        }
        assertThat(handshakeStatus("?ticket=" + ticket, null))
                .as("a used ticket")
                .isEqualTo(401);

        String sseTicket = ticket(alice.key());
        try (SseTestReader sse = new SseTestReader(
                "http://localhost:" + port + events(topic, "&ticket=" + sseTicket), "text/event-stream", null)) {
            assertThat(sse.response.statusCode()).isEqualTo(200);
            assertThat(sse.nextEvent("record", WAIT).data()).contains("v-0");
        }
        assertThat(get(events(topic, "&ticket=" + sseTicket), null).statusCode())
                .as("a used ticket")
                .isEqualTo(401);
    }

    @Test
    void anExpiredTicketIsRefused() throws Exception {
        // A ticket never outlives the credential it came from, so a JWT close to its end gives a ticket that expires
        // in about two seconds (the 30 s lifetime cap itself is covered by StreamTicketsTest with a manual clock).
        Instant tokenExpiry = Instant.ofEpochSecond(Instant.now().plusSeconds(2).getEpochSecond());
        JsonNode issued = ticketResponse(jwt(unique("bob"), tokenExpiry));
        long expiresAt = issued.path("expires_at").asLong();
        assertThat(expiresAt).isEqualTo(tokenExpiry.toEpochMilli());

        await().atMost(WAIT).until(() -> System.currentTimeMillis() > expiresAt + 50);

        assertThat(handshakeStatus("?ticket=" + issued.path("ticket").asString(), null))
                .isEqualTo(401);
    }

    @Test
    void aRevokedKeyGetsNoTicketAndItsUnusedTicketsStopWorking() throws Exception {
        Caller carol = caller("carol");
        String topic = newTopic("revoked", 1);
        allow(carol.name(), ResourceType.TOPIC, topic, Operation.READ);
        String wsTicket = ticket(carol.key());
        String sseTicket = ticket(carol.key());

        credentials.revokeKey(carol.name(), carol.keyId());

        assertThat(requestTicket(carol.key()).statusCode()).isEqualTo(401);
        assertThat(handshakeStatus("", carol.key())).isEqualTo(401);
        assertThat(handshakeStatus("?ticket=" + wsTicket, null)).isEqualTo(401);
        assertThat(get(events(topic, "&ticket=" + sseTicket), null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void forgedOrAlteredTicketsAreRefused() throws Exception {
        String ticket = ticket(caller("dave").key());
        char last = ticket.charAt(ticket.length() - 1);
        String altered = ticket.substring(0, ticket.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(handshakeStatus("?ticket=" + altered, null)).isEqualTo(401);
        assertThat(handshakeStatus("?ticket=st1.AAAA.AAAA", null)).isEqualTo(401);
        assertThat(handshakeStatus("?ticket=" + ticket, null))
                .as("the original still works")
                .isEqualTo(101);
    }

    @Test
    void ticketsAreAcceptedOnlyOnStreamEndpoints() throws Exception {
        Caller erin = caller("erin");
        String topic = newTopic("rest", 1);
        allow(erin.name(), ResourceType.TOPIC, topic, Operation.READ, Operation.DESCRIBE);

        assertThat(get("/topics/" + topic + "?ticket=" + ticket(erin.key()), null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(get("/topics/" + topic + "/partitions/0/records?offset=0&ticket=" + ticket(erin.key()), null)
                        .statusCode())
                .as("a plain read is not a stream")
                .isEqualTo(401);
        produce(topic, 0, "f", 1);
        try (SseTestReader follow = new SseTestReader(
                "http://localhost:" + port + "/topics/" + topic + "/partitions/0/records?follow=true&offset=0&ticket="
                        + ticket(erin.key()),
                "application/x-ndjson",
                null)) {
            assertThat(follow.response.statusCode()).isEqualTo(200);
            assertThat(follow.nextLine(WAIT)).contains("f-0");
        }
    }

    @Test
    void aBearerHeaderStillOpensStreamsForNonBrowserClients() throws Exception {
        Caller frank = caller("frank");
        String topic = newTopic("bearer", 1);
        allow(frank.name(), ResourceType.TOPIC, topic, Operation.READ);
        produce(topic, 0, "h", 1);

        try (WsTestClient socket = WsTestClient.connectWithBearer(port, frank.key())) {
            socket.send("{\"op\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\",\"from\":\"earliest\"}");
            assertThat(socket.await("records", "s").toString()).contains("h-0");
        }
        String jwt = jwt(frank.name(), Instant.now().plusSeconds(120));
        try (SseTestReader sse =
                new SseTestReader("http://localhost:" + port + events(topic, ""), "text/event-stream", null, jwt)) {
            assertThat(sse.nextEvent("record", WAIT).data()).contains("h-0");
        }
    }
}
