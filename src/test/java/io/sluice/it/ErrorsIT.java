package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every failure, the framework's own included, is JSON {"error_code","message"} with the right status. */
class ErrorsIT extends ServerIT {

    @Test
    void unknownRouteIs404() {
        String message = api.sendUnchecked("GET", "/no/such/thing", null, null).expectError(404, 40400);

        assertThat(message).contains("/no/such/thing");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        ApiClient.Response response = api.sendUnchecked("PUT", "/topics", "application/json", "{}".getBytes());

        response.expectError(405, 40501);
        assertThat(response.headers().get("allow").get(0)).contains("GET").contains("POST");
    }

    @Test
    void malformedJsonIs400() {
        String message = api.sendInvalid("POST", "/topics", "application/json", "{\"name\": oops".getBytes())
                .expectError(400, 40001);

        assertThat(message).contains("malformed JSON");
    }

    @Test
    void bodyLargerThanTheLimitIs413() {
        String topic = createTopic("big", 1);
        String body = "{\"records\":[{\"value\":\"" + "x".repeat(300 * 1024) + "\"}]}";

        String message = api.postJson("/topics/" + topic, body).expectError(413, 41301);

        assertThat(message).contains("262144");
    }

    @Test
    void wrongContentTypeIs415() {
        String topic = createTopic("ctype", 1);

        api.sendInvalid("POST", "/topics/" + topic, "text/plain", "hello".getBytes())
                .expectError(415, 41501);
        api.sendInvalid("POST", "/topics", "application/xml", "<topic/>".getBytes())
                .expectError(415, 41501);
    }

    @Test
    void unacceptableAcceptIs406() {
        api.sendInvalid("GET", "/topics", null, null, "Accept", "text/html").expectError(406, 40601);
        String topic = createTopic("accept", 1);
        api.sendInvalid("GET", "/topics/" + topic + "/partitions/0/records", null, null, "Accept", "image/png")
                .expectError(406, 40601);
    }

    @Test
    void badQueryParameterIs422() {
        String topic = createTopic("params", 1);

        String message = api.sendInvalid("GET", "/topics/" + topic + "/partitions/0/records?offset=abc", null, null)
                .expectError(422, 42202);

        assertThat(message).contains("offset");
    }
}
