package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Stops and starts a real server on one data dir: committed offsets and group definitions survive, instances do not. */
class GroupRestartIT {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return InProcessServer.start(dataDir);
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return InProcessServer.client(context);
    }

    @Test
    void committedOffsetsAndGroupsSurviveARestartAndInstancesMustRejoin() {
        try (ConfigurableApplicationContext first = start()) {
            ApiClient api = client(first);
            Consumers consumers = new Consumers(api);
            api.postJson("/topics", "{\"name\":\"orders\",\"partitions\":2}").expect(201);
            consumers.produce("orders", 0, 20, 20);
            api.postJson(
                            "/consumers/billing",
                            "{\"name\":\"c1\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\","
                                    + "\"auto.commit.enable\":\"false\",\"partition.assignment.strategy\":\"range\"}")
                    .expect(200);
            consumers.subscribe("billing", "c1", "orders");
            int read = 0;
            while (read < 20) {
                read += consumers.read("billing", "c1", 1000).expect(200).size();
            }
            consumers
                    .commit("billing", "c1", "[{\"topic\":\"orders\",\"partition\":0,\"offset\":3}]")
                    .expect(200);
            consumers.commitAll("billing", "c1").expect(200); // both partitions at their ends
            consumers
                    .commit("billing", "c1", "[{\"topic\":\"orders\",\"partition\":0,\"offset\":3}]")
                    .expect(200); // partition 0 back to 4: an owner may rewind its own commits
        }

        try (ConfigurableApplicationContext second = start()) {
            ApiClient api = client(second);
            Consumers consumers = new Consumers(api);

            JsonNode groups = api.get("/consumers").expect(200);
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).get("state").stringValue()).isEqualTo("EMPTY");
            JsonNode view = consumers.describe("billing");
            assertThat(view.get("strategy").stringValue()).isEqualTo("range");
            assertThat(view.get("members")).isEmpty();
            assertThat(view.get("partitions").get(0).get("committed_offset").longValue())
                    .isEqualTo(4);
            long end1 = view.get("partitions").get(1).get("log_end_offset").longValue();
            assertThat(view.get("partitions").get(1).get("committed_offset").longValue())
                    .isEqualTo(end1);
            long end0 = view.get("partitions").get(0).get("log_end_offset").longValue();
            assertThat(view.get("total_lag").longValue()).isEqualTo(end0 - 4);

            consumers.read("billing", "c1", 0).expectError(404, 40403);
            consumers.create("billing", "c1", "latest");
            consumers.subscribe("billing", "c1", "orders");
            JsonNode records = consumers.read("billing", "c1", 2000).expect(200);
            assertThat(records).hasSize((int) (end0 - 4));
            assertThat(records.get(0).get("offset").longValue()).isEqualTo(4);
            assertThat(records)
                    .allSatisfy(r -> assertThat(r.get("partition").intValue()).isZero());
        }
    }
}
