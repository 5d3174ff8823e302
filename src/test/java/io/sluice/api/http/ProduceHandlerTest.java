package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.produce.ProduceService;
import io.sluice.topic.ServicesFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The produce handler over a real produce service, without a server. */
class ProduceHandlerTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final ExecutorService storage = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterEach
    void stopStorage() {
        storage.shutdownNow();
    }

    @Test
    void aBodyTheStreamingReaderLeavesToTheTreeMovesTheKeylessRoundRobinOnce() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 3, 1, Map.of());
            HttpSupport http =
                    new HttpSupport(MAPPER, Schedulers.fromExecutorService(storage), 1 << 20, Duration.ofSeconds(10));
            ProduceHandler handler = new ProduceHandler(new ProduceService(f.topics, f.clock, f.metrics), http);
            WebTestClient client = RouterClients.bind(
                            RouterFunctions.route(RequestPredicates.POST("/topics/{topic}"), handler::produce))
                    .build();

            List<Integer> partitions = new ArrayList<>();
            partitions.add(produce(client, "{\"records\":[{\"value\":\"a\"}]}"));
            // the streaming reader takes the first record, then gives the body up at the repeated field (the tree
            // settles which value counts): one request all the same
            partitions.add(produce(client, "{\"records\":[{\"value\":\"b\"},{\"value\":\"c\",\"value\":\"d\"}]}"));
            partitions.add(produce(client, "{\"records\":[{\"value\":\"e\"}]}"));

            int first = partitions.get(0);
            assertThat(partitions).containsExactly(first, (first + 1) % 3, (first + 2) % 3);
        }
    }

    /** Produces a body of keyless records; the one partition they all went to. */
    private static int produce(WebTestClient client, String body) {
        byte[] answer = client.post()
                .uri("/topics/t")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode offsets = MAPPER.readTree(answer).get("offsets");
        int partition = offsets.get(0).get("partition").intValue();
        for (JsonNode offset : offsets) {
            assertThat(offset.get("partition").intValue())
                    .as("one partition per request")
                    .isEqualTo(partition);
        }
        return partition;
    }
}
