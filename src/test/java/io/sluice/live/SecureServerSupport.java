package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.app.SluiceApplication;
import io.sluice.produce.ProduceRecord;
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
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.blockhound.BlockHound;
import tools.jackson.databind.JsonNode;

/**
 * A real Sluice server with security on (API keys, JWTs signed by a key pair made here, stream tickets with their default 30 s life),
 * shared by the security ITs of the live streams: one Spring context, so tests use their own principals and topics
 * ({@link #unique}). Principals, keys and ACLs are set up through the server's own services; requests go over real
 * sockets. BlockHound watches the event loops.
 */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sluice.security.enabled=true",
            "sluice.security.admin-key=" + SecureServerSupport.ADMIN_KEY,
            "sluice.sse.keep-alive=1s",
            "sluice.stats.interval=300ms"
        })
abstract class SecureServerSupport {

    static {
        BlockHound.install();
    }

    static final String ADMIN_KEY = "it-admin-key-2f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8";

    private static final Path DATA_DIR = tempDir();
    private static final KeyPair JWT_KEYS = rsaKeys();
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A principal with one API key. */
    record Caller(String name, String keyId, String key) {}

    @LocalServerPort
    protected int port;

    @Autowired
    protected Credentials credentials;

    @Autowired
    protected Acls acls;

    @Autowired
    protected TopicService topics;

    @Autowired
    protected ProduceService produce;

    protected final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
        registry.add("sluice.security.jwt.public-key-location", () -> "file:" + writePublicKey());
    }

    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

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

    String createTopic(String prefix, int partitions) {
        String name = unique(prefix);
        topics.create(name, partitions, 1, Map.of());
        return name;
    }

    void produce(String topic, int partition, String prefix, int count) {
        List<ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProduceRecord(
                    null,
                    ("\"" + prefix + "-" + i + "\"").getBytes(StandardCharsets.UTF_8),
                    partition,
                    List.of(),
                    null));
        }
        produce.produce(topic, OptionalInt.empty(), records, Optional.empty());
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

    JsonNode ticketResponse(String bearer) throws IOException, InterruptedException {
        HttpResponse<String> response = requestTicket(bearer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return WsTestClient.JSON.readTree(response.body());
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

    /** A JWT for {@code subject}, signed with the key the server trusts. */
    static String jwt(String subject, Instant expiresAt) {
        return sign(subject, expiresAt, (RSAPrivateKey) JWT_KEYS.getPrivate());
    }

    static String sign(String subject, Instant expiresAt, RSAPrivateKey key) {
        try {
            SignedJWT token = new SignedJWT(
                    new JWSHeader(JWSAlgorithm.RS256),
                    new JWTClaimsSet.Builder()
                            .subject(subject)
                            .issueTime(Date.from(Instant.now()))
                            .expirationTime(Date.from(expiresAt))
                            .build());
            token.sign(new RSASSASigner(key));
            return token.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String writePublicKey() {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(JWT_KEYS.getPublic().getEncoded());
        String pem = "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
        try {
            Path file = DATA_DIR.resolveSibling(DATA_DIR.getFileName() + "-jwt.pem");
            Files.writeString(file, pem);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-secure-it");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
