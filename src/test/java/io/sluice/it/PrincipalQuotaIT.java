package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas follow the authenticated principal (Spring Security's {@code Authentication#getName()}): with security on,
 * a principal with a tight override is refused with 429 naming it, while another principal keeps being served.
 */
class PrincipalQuotaIT {

    private static final String ADMIN_KEY = "quota-it-admin-key-0123456789-abcdefghij";

    @TempDir
    Path dataDir;

    private SluiceProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void eachAuthenticatedPrincipalIsMeteredOnItsOwn() throws Exception {
        server = new SluiceProcess(
                dataDir,
                "--sluice.security.enabled=true",
                "--sluice.security.admin-key=" + ADMIN_KEY,
                "--sluice.quota.requests-per-second=1000",
                "--sluice.quota.principals.alice.requests-per-second=2");
        ApiClient api = server.start();
        String[] admin = {"Authorization", "Bearer " + ADMIN_KEY};
        api.postJson("/security/principals", "{\"name\":\"alice\"}", admin).expect(201);
        String key = api.send("POST", "/security/principals/alice/keys", null, null, admin)
                .expect(201)
                .get("key")
                .stringValue();
        String[] alice = {"Authorization", "Bearer " + key};

        int served = 0;
        ApiClient.Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            ApiClient.Response response = api.get("/topics", alice);
            if (response.status() == 429) {
                refused = response;
            } else {
                assertThat(response.status()).as(response.text()).isEqualTo(200);
                served++;
            }
        }
        assertThat(refused).as("alice is refused within 20 quick requests").isNotNull();
        assertThat(refused.expectError(429, 42901)).contains("'alice'");
        assertThat(refused.headers()).containsKey("retry-after");
        assertThat(served).as("alice's burst").isBetween(2, 4);
        for (int i = 0; i < 20; i++) {
            assertThat(api.get("/topics", admin).status())
                    .as("the admin has its own quota")
                    .isEqualTo(200);
        }
    }
}
