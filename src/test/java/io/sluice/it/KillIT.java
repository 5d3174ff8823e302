package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Runs Sluice as a separate process (the packaged jar when the build made one), kills it with {@code kill -9} right
 * after writes, restarts it on the same data dir and retries with the same Idempotency-Keys: the retries get the
 * original offsets and nothing is written twice, including a request whose response the kill cut off.
 */
class KillIT {

    @TempDir
    Path dataDir;

    private SluiceProcess server;

    @BeforeEach
    void prepare() throws IOException {
        server = new SluiceProcess(dataDir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void idempotentRetriesAfterKillNineReturnTheOriginalOffsetsAndWriteNothing() throws Exception {
        ApiClient api = server.start();
        api.postJson("/topics", "{\"name\":\"payments\",\"partitions\":3}").expect(201);
        String answered = "{\"records\":[{\"value\":1},{\"key\":\"x\",\"value\":2},{\"key\":\"y\",\"value\":3}]}";
        String cutOff = "{\"records\":[{\"value\":\"late-1\"},{\"value\":\"late-2\"}]}";

        JsonNode original = api.postJson("/topics/payments", answered, "Idempotency-Key", "pay-1")
                .expect(200);
        JsonNode refunds = api.postJson("/topics", "{\"name\":\"refunds\",\"partitions\":2}")
                .expect(201);
        ApiClient firstRun = api;
        CompletableFuture<?> lost = CompletableFuture.runAsync(() -> firstRun.sendUnchecked(
                "POST", "/topics/payments", "application/json", cutOff.getBytes(), "Idempotency-Key", "pay-2"));
        server.killNine();
        // the kill may land before, during or after that write: whichever it was, the retry below must not duplicate
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(lost::isDone);

        api = server.start();
        JsonNode retried = api.postJson("/topics/payments", answered, "Idempotency-Key", "pay-1")
                .expect(200);
        JsonNode late = api.postJson("/topics/payments", cutOff, "Idempotency-Key", "pay-2")
                .expect(200);
        JsonNode lateAgain = api.postJson("/topics/payments", cutOff, "Idempotency-Key", "pay-2")
                .expect(200);

        assertThat(api.get("/topics/refunds").expect(200))
                .as("a topic created just before the kill")
                .isEqualTo(refunds);
        assertThat(retried).isEqualTo(original);
        assertThat(lateAgain).isEqualTo(late);
        assertThat(totalRecords(api)).isEqualTo(5);
        JsonNode first = late.get("offsets").get(0);
        JsonNode stored = api.get(
                        "/topics/payments/partitions/" + first.get("partition").intValue() + "/records?offset="
                                + first.get("offset").longValue())
                .expect(200);
        assertThat(stored.get(0).get("value").stringValue()).isEqualTo("late-1");
        assertThat(stored.get(1).get("value").stringValue()).isEqualTo("late-2");
    }

    private long totalRecords(ApiClient api) {
        long total = 0;
        for (JsonNode partition : api.get("/topics/payments/partitions").expect(200)) {
            total += partition.get("end_offset").longValue()
                    - partition.get("beginning_offset").longValue();
        }
        return total;
    }
}
