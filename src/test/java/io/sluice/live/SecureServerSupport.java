package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.SecureServerIT;
import io.sluice.produce.ProduceService;
import io.sluice.security.AclBinding;
import io.sluice.security.Acls;
import io.sluice.security.Credentials;
import io.sluice.security.IssuedKey;
import io.sluice.security.Operation;
import io.sluice.security.PatternType;
import io.sluice.security.Permission;
import io.sluice.security.ResourcePattern;
import io.sluice.security.ResourceType;
import io.sluice.topic.TopicService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The live-stream security ITs' view of the shared secure server ({@link SecureServerIT}: same Spring context as the
 * REST security ITs, so CI starts it once). Principals, keys and ACLs are set up through the server's own services;
 * requests go over real sockets; JWTs come from {@link SecureServerIT#JWTS}.
 */
abstract class SecureServerSupport extends SecureServerIT {

    /** A principal with one API key. */
    record Caller(String name, String keyId, String key) {}

    @Autowired
    protected Credentials credentials;

    @Autowired
    protected Acls acls;

    @Autowired
    protected TopicService topics;

    @Autowired
    protected ProduceService produce;

    protected final HttpClient http = HttpClient.newHttpClient();

    Caller caller(String prefix) {
        String name = unique(prefix);
        credentials.createPrincipal(name);
        IssuedKey key = credentials.issueKey(name);
        return new Caller(name, key.id(), key.key());
    }

    void allow(String principal, ResourceType type, String name, Operation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Operation operation : operations) {
            bindings.add(new AclBinding(
                    principal, new ResourcePattern(type, name, PatternType.LITERAL), operation, Permission.ALLOW));
        }
        acls.add(bindings);
    }

    String newTopic(String prefix, int partitions) {
        String name = unique(prefix);
        topics.create(name, partitions, 1, Map.of());
        return name;
    }

    void produce(String topic, int partition, String prefix, int count) {
        LiveServerSupport.produceValues(produce, topic, partition, prefix, count);
    }

    /** {@code POST /security/tickets} with {@code Authorization: Bearer <bearer>} (none when null). */
    HttpResponse<String> requestTicket(String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/security/tickets"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh ticket for the bearer credential. */
    String ticket(String bearer) throws IOException, InterruptedException {
        HttpResponse<String> response = requestTicket(bearer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WsTestClient.JSON.readTree(response.body()).path("ticket").asString();
    }

    /** A ticket response, through the contract-validating client (the exchange must match openapi.yaml). */
    JsonNode ticketResponse(String bearer) {
        return api.send("POST", "/security/tickets", null, null, bearer(bearer)).expect(200);
    }

    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The HTTP status of a WebSocket handshake on {@code /ws<query>}: 101 when it was accepted (the socket is then
     * closed again), else the refusal's status.
     */
    int handshakeStatus(String query, String bearer) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        try {
            WebSocket socket = builder.buildAsync(
                            URI.create("ws://localhost:" + port + "/ws" + query), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** A JWT naming {@code user}, signed with the key the server trusts, expiring at {@code expiry}. */
    static String jwt(String user, Instant expiry) {
        return JWTS.expiringAt(PRINCIPAL_CLAIM, user, expiry);
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
