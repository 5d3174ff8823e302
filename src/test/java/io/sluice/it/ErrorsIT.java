package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every failure, the framework's own included, is JSON {"error_code","message"} with the right status. */
class ErrorsIT extends ServerIT {

    @Test
    void requestsRefusedByTheHttpCodecGetJsonErrors() throws Exception {
        RawHttp http = new RawHttp(port);
        Duration wait = Duration.ofSeconds(10);

        RawHttp.Answer longLine = http.exchange(RawHttp.request("GET", "/topics/" + "l".repeat(10_000), null), wait);
        RawHttp.Answer bigHeader =
                http.exchange(RawHttp.request("GET", "/topics", null, "X-Big: " + "b".repeat(20_000)), wait);
        RawHttp.Answer garbage = http.exchange("GET /topics HTTP/1.1\r\nHost x\r\n\r\n".getBytes(), wait);

        assertThat(longLine.status()).isEqualTo(414);
        assertThat(longLine.body()).contains("\"error_code\":41401");
        assertThat(bigHeader.status()).isEqualTo(431);
        assertThat(bigHeader.body()).contains("\"error_code\":43101");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).contains("\"error_code\":40001");
        for (RawHttp.Answer answer : new RawHttp.Answer[] {longLine, bigHeader, garbage}) {
            assertThat(answer.isJsonError()).as("%s", answer).isTrue();
            assertThat(answer.isCodecRejection()).as("%s", answer).isTrue();
        }
    }

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
    void unparsableContentTypeIs415NotAServerError() {
        String topic = createTopic("badtype", 1);

        for (String type : new String[] {"application/json; charset=utf-7", ";;;", "multipart/form-data; boundary="}) {
            String message = api.sendUnchecked("POST", "/topics/" + topic, type, "{}".getBytes())
                    .expectError(415, 41501);
            assertThat(message).contains("Content-Type");
        }
    }

    @Test
    void unparsableAcceptIs406NotAServerError() {
        api.sendUnchecked("GET", "/topics", null, null, "Accept", "application/json; q=\"")
                .expectError(406, 40601);
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
