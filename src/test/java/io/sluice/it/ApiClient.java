package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for the integration tests that checks every exchange against {@code openapi.yaml}: the request
 * the test sends and the response the server gives must both match the contract, or the test fails.
 */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final OpenApiInteractionValidator CONTRACT =
            OpenApiInteractionValidator.createForInlineApiSpecification(readContract())
                    .build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://localhost:" + port;
    }

    public String base() {
        return base;
    }

    public Response get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, null, null, headers);
    }

    public Response postJson(String path, String json, String... headers) {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    public Response send(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        Response response = exchange(method, pathAndQuery, contentType, body, headers);
        assertConforms(method, pathAndQuery, contentType, body, headers, response);
        return response;
    }

    /**
     * A request that deliberately breaks the contract (to test the server's own validation): only the response is
     * checked against it.
     */
    public Response sendInvalid(
            String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        Response response = exchange(method, pathAndQuery, contentType, body, headers);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        ValidationReport report =
                CONTRACT.validateResponse(path, Request.Method.valueOf(method), toValidated(response));
        assertThat(report.getMessages())
                .as("%s %s -> %d %s violates openapi.yaml", method, pathAndQuery, response.status(), response.text())
                .isEmpty();
        return response;
    }

    /** An exchange the contract cannot describe (unknown route, wrong method): only the response shape is checked. */
    public Response sendUnchecked(
            String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        return exchange(method, pathAndQuery, contentType, body, headers);
    }

    private Response exchange(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().map(),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertConforms(
            String method, String pathAndQuery, String contentType, byte[] body, String[] headers, Response response) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
        if (q >= 0) {
            queryParams(pathAndQuery.substring(q + 1)).forEach(request::withQueryParam);
        }
        if (contentType != null) {
            request.withContentType(contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.withHeader(headers[i], headers[i + 1]);
        }
        if (body != null) {
            request.withBody(body);
        }
        ValidationReport report = CONTRACT.validate(request.build(), toValidated(response));
        assertThat(report.getMessages())
                .as("%s %s -> %d %s violates openapi.yaml", method, pathAndQuery, response.status(), response.text())
                .isEmpty();
    }

    private static SimpleResponse toValidated(Response response) {
        SimpleResponse.Builder answer = new SimpleResponse.Builder(response.status());
        if (response.contentType() != null) {
            answer.withContentType(response.contentType());
        }
        if (response.body().length > 0) {
            answer.withBody(response.body());
        }
        // headers too, so the contract's required response headers (WWW-Authenticate on 401...) are checked
        response.headers().forEach((name, values) -> {
            if (!name.equals(":status")) {
                answer.withHeader(name, values);
            }
        });
        return answer.build();
    }

    private static Map<String, String> queryParams(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(name, URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String readContract() {
        try {
            return Files.readString(Path.of("openapi.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the server answered. */
    public record Response(int status, String contentType, Map<String, java.util.List<String>> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** Asserts the status and returns the JSON body. */
        public JsonNode expect(int expectedStatus) {
            assertThat(status).as("status of response %s", text()).isEqualTo(expectedStatus);
            return body.length == 0 ? null : json();
        }

        /** Asserts an error answer: status, {"error_code","message"} and the code. */
        public String expectError(int expectedStatus, int errorCode) {
            JsonNode json = expect(expectedStatus);
            assertThat(contentType).startsWith("application/json");
            assertThat(json.propertyNames()).containsExactlyInAnyOrder("error_code", "message");
            assertThat(json.get("error_code").intValue())
                    .as("error_code of %s", text())
                    .isEqualTo(errorCode);
            return json.get("message").stringValue();
        }
    }
}
