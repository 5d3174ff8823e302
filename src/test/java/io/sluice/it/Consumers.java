package io.sluice.it;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** Consumer-group calls of the integration tests, each checked against openapi.yaml by {@link ApiClient}. */
final class Consumers {

    private final ApiClient api;

    Consumers(ApiClient api) {
        this.api = api;
    }

    static String instancePath(String group, String instance) {
        return "/consumers/" + group + "/instances/" + instance;
    }

    /** Creates an instance named {@code name} with JSON format and the given reset policy, auto-commit off. */
    JsonNode create(String group, String name, String reset) {
        return api.postJson(
                        "/consumers/" + group,
                        "{\"name\":\"" + name + "\",\"format\":\"json\",\"auto.offset.reset\":\"" + reset
                                + "\",\"auto.commit.enable\":\"false\"}")
                .expect(200);
    }

    void subscribe(String group, String instance, String... topics) {
        StringBuilder list = new StringBuilder();
        for (String topic : topics) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(topic).append('"');
        }
        api.postJson(instancePath(group, instance) + "/subscription", "{\"topics\":[" + list + "]}")
                .expect(204);
    }

    JsonNode assignment(String group, String instance) {
        return api.get(instancePath(group, instance) + "/assignments").expect(200);
    }

    ApiClient.Response read(String group, String instance, long timeoutMs) {
        return api.get(instancePath(group, instance) + "/records?timeout=" + timeoutMs);
    }

    ApiClient.Response read(String group, String instance, long timeoutMs, int maxRecords) {
        return api.get(instancePath(group, instance) + "/records?timeout=" + timeoutMs + "&max_records=" + maxRecords);
    }

    ApiClient.Response commit(String group, String instance, String offsetsJson) {
        return api.postJson(instancePath(group, instance) + "/offsets", "{\"offsets\":" + offsetsJson + "}");
    }

    ApiClient.Response commitAll(String group, String instance) {
        return api.send("POST", instancePath(group, instance) + "/offsets", null, null);
    }

    ApiClient.Response delete(String group, String instance) {
        return api.send("DELETE", instancePath(group, instance), null, null);
    }

    JsonNode describe(String group) {
        return api.get("/consumers/" + group).expect(200);
    }

    /** Produces {@code count} records {@code {"key": "k<i % keys>", "value": i}} in one request. */
    void produce(String topic, int from, int count, int keys) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = from; i < from + count; i++) {
            body.append(i == from ? "" : ",")
                    .append("{\"key\":\"k")
                    .append(i % keys)
                    .append("\",\"value\":")
                    .append(i)
                    .append('}');
        }
        body.append("]}");
        api.send("POST", "/topics/" + topic, "application/json", body.toString().getBytes(StandardCharsets.UTF_8))
                .expect(200);
    }
}
