package io.sluice.it;

import io.sluice.app.SluiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.blockhound.BlockHound;

/**
 * Base of the integration tests against one real server with security on: an admin key, JWTs from {@link TestJwts}
 * (JWK set served by the test; principal in the {@value #PRINCIPAL_CLAIM} claim, so not the default {@code sub}).
 * Every subclass has the same configuration, so Spring starts this server once per run. BlockHound watches the event
 * loops. Helpers create principals, keys and ACLs through the API with the admin key.
 */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sluice.security.enabled=true",
            "sluice.security.admin-key=" + SecureServerIT.ADMIN_KEY,
            "sluice.security.jwt.issuer-uri=" + TestJwts.ISSUER,
            "sluice.security.jwt.principal-claim=" + SecureServerIT.PRINCIPAL_CLAIM,
            "sluice.fetch.max-wait=3s",
            "sluice.storage.threads=4"
        })
public abstract class SecureServerIT {

    static {
        BlockHound.install();
    }

    public static final String ADMIN_KEY = "it-admin-key-0123456789-abcdefghijklmnop";
    public static final String PRINCIPAL_CLAIM = "preferred_username";
    public static final TestJwts JWTS = new TestJwts();

    private static final Path DATA_DIR = tempDir();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @LocalServerPort
    protected int port;

    protected ApiClient api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", DATA_DIR::toString);
        registry.add("sluice.security.jwt.jwk-set-uri", JWTS::jwkSetUri);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    /** {@code Authorization: Bearer <token>} as ApiClient header arguments. */
    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    public static String[] admin() {
        return bearer(ADMIN_KEY);
    }

    /** A name no other test uses. */
    public static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** Creates a principal and returns a fresh API key of it. */
    public String principalWithKey(String name) {
        api.postJson("/security/principals", "{\"name\":\"" + name + "\"}", admin())
                .expect(201);
        return newKey(name);
    }

    public String newKey(String principal) {
        return api.send("POST", "/security/principals/" + principal + "/keys", null, null, admin())
                .expect(201)
                .get("key")
                .stringValue();
    }

    /** Adds ACL bindings: {@code permission} of {@code operations} on {@code type}/{@code name}. */
    public void acl(
            String principal, String type, String name, String pattern, String permission, String... operations) {
        StringBuilder ops = new StringBuilder();
        for (String op : operations) {
            ops.append(ops.length() == 0 ? "" : ",").append('"').append(op).append('"');
        }
        api.postJson(
                        "/security/acls",
                        "{\"principal\":\"" + principal + "\",\"resource_type\":\"" + type + "\",\"resource_name\":\""
                                + name + "\",\"pattern_type\":\"" + pattern + "\",\"permission\":\"" + permission
                                + "\",\"operations\":[" + ops + "]}",
                        admin())
                .expect(201);
    }

    public void allow(String principal, String type, String name, String... operations) {
        acl(principal, type, name, "literal", "allow", operations);
    }

    public void createTopic(String name, int partitions) {
        api.postJson("/topics", "{\"name\":\"" + name + "\",\"partitions\":" + partitions + "}", admin())
                .expect(201);
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-secure-it-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
