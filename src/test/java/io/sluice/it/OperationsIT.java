package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OperationsIT extends ServerIT {

    @Test
    void healthReportsTheDataDirAndTheMetadataDatabase() {
        JsonNode health = api.get("/actuator/health").expect(200);

        assertThat(health.get("status").stringValue()).isEqualTo("UP");
        JsonNode dataDir = health.get("components").get("dataDir");
        assertThat(dataDir.get("status").stringValue()).isEqualTo("UP");
        assertThat(dataDir.get("details").get("path").stringValue())
                .isEqualTo(dataDir().toAbsolutePath().normalize().toString());
        assertThat(dataDir.get("details").get("free").longValue()).isPositive();
        assertThat(health.get("components")
                        .get("db")
                        .get("details")
                        .get("database")
                        .stringValue())
                .isEqualTo("H2");
        assertThat(dataDir().resolve("metadata").resolve("sluice.mv.db")).exists();
        JsonNode logs = health.get("components").get("logs");
        assertThat(logs.get("status").stringValue()).isEqualTo("UP");
        assertThat(logs.get("details").get("offline")).isEmpty();
    }

    @Test
    void infoCarriesTheVersion() {
        JsonNode info = api.get("/actuator/info").expect(200);

        assertThat(info.get("build").get("version").stringValue()).isNotBlank();
        assertThat(info.get("build").get("artifact").stringValue()).isEqualTo("sluice");
    }

    @Test
    void prometheusHasTrafficPerTopicLatencyHistogramsAndLogSizes() {
        String topic = createTopic("metered", 2);
        api.postJson("/topics/" + topic + "/partitions/1", "{\"records\":[{\"value\":\"abcd\"},{\"value\":\"e\"}]}")
                .expect(200);
        api.get("/topics/" + topic + "/partitions/1/records?offset=0").expect(200);

        String metrics = api.get("/actuator/prometheus").text();

        assertThat(metrics)
                .containsPattern("sluice_records_in_total\\{[^}]*topic=\"" + topic + "\"[^}]*} 2.0")
                .containsPattern("sluice_bytes_in_total\\{[^}]*topic=\"" + topic + "\"[^}]*} 9.0")
                .containsPattern("sluice_records_out_total\\{[^}]*topic=\"" + topic + "\"[^}]*} 2.0")
                .containsPattern("sluice_bytes_out_total\\{[^}]*topic=\"" + topic + "\"[^}]*} 9.0")
                .containsPattern("sluice_produce_latency_seconds_bucket\\{[^}]*topic=\"" + topic + "\"")
                .containsPattern("sluice_read_latency_seconds_bucket\\{[^}]*topic=\"" + topic + "\"")
                .containsPattern("sluice_log_size_bytes\\{[^}]*partition=\"1\",topic=\"" + topic + "\"[^}]*} [1-9]")
                .containsPattern("sluice_log_size_bytes\\{[^}]*partition=\"0\",topic=\"" + topic + "\"[^}]*} 0.0");
    }

    /** Produce and record reads are metered per topic only; admin requests keep Spring's request metrics. */
    @Test
    void dataRequestsAreLeftOutOfTheHttpRequestMetrics() {
        String topic = createTopic("unobserved", 1);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":\"a\"}]}").expect(200);
        api.get("/topics/" + topic + "/partitions/0/records?offset=0").expect(200);
        api.get("/topics/" + topic).expect(200);

        String metrics = api.get("/actuator/prometheus").text();

        assertThat(metrics)
                .containsPattern(
                        "http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*uri=\"/topics/\\{topic}\"")
                .doesNotContain("uri=\"/topics/{topic}/partitions/{partition}/records\"")
                .doesNotContainPattern("method=\"POST\"[^}]*uri=\"/topics/\\{topic}\"");
    }

    @Test
    void theContractIsServedAndIsTheFileAtTheRoot() throws Exception {
        ApiClient.Response response = api.get("/openapi.yaml");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/yaml");
        assertThat(response.text()).isEqualTo(Files.readString(Path.of("openapi.yaml")));
    }
}
