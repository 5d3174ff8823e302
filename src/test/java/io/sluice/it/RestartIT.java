package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Stops and starts a real server on the same data dir: topics, records and idempotency keys survive. */
class RestartIT {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return InProcessServer.start(dataDir);
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return InProcessServer.client(context);
    }

    @Test
    void topicsRecordsAndIdempotencyKeysSurviveARestart() {
        String produce =
                "{\"records\":[{\"key\":\"a\",\"value\":1},{\"value\":{\"n\":2}},{\"key\":\"c\",\"value\":3}]}";
        JsonNode before;
        JsonNode firstOffsets;
        try (ConfigurableApplicationContext first = start()) {
            ApiClient api = client(first);
            api.postJson("/topics", "{\"name\":\"kept\",\"partitions\":2,\"configs\":{\"retention.ms\":\"3600000\"}}")
                    .expect(201);
            api.postJson("/topics", "{\"name\":\"dropped\",\"partitions\":1}").expect(201);
            // partitions first: a retry is placed like the original only while the partition count is unchanged
            api.send("PATCH", "/topics/kept", "application/json", "{\"partitions\":3}".getBytes())
                    .expect(200);
            firstOffsets = api.postJson("/topics/kept", produce, "Idempotency-Key", "batch-1")
                    .expect(200);
            api.send("DELETE", "/topics/dropped", null, null).expect(204);
            before = api.get("/topics/kept").expect(200);
        }

        try (ConfigurableApplicationContext second = start()) {
            ApiClient api = client(second);

            assertThat(api.get("/topics").expect(200)).hasSize(1);
            JsonNode after = api.get("/topics/kept").expect(200);
            assertThat(after).isEqualTo(before);
            assertThat(after.get("configs").get("retention.ms").stringValue()).isEqualTo("3600000");
            assertThat(after.get("partitions")).hasSize(3);

            JsonNode retry = api.postJson("/topics/kept", produce, "Idempotency-Key", "batch-1")
                    .expect(200);
            assertThat(retry).isEqualTo(firstOffsets);
            assertThat(api.get("/topics/kept").expect(200)).isEqualTo(before);

            int partition = firstOffsets.get("offsets").get(1).get("partition").intValue();
            long offset = firstOffsets.get("offsets").get(1).get("offset").longValue();
            JsonNode record = api.get("/topics/kept/partitions/" + partition + "/records?offset=" + offset)
                    .expect(200)
                    .get(0);
            assertThat(record.get("value").toString()).isEqualTo("{\"n\":2}");
            api.get("/topics/dropped").expectError(404, 40401);
        }
    }
}
