package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.SluiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code sluice.cors.*} lets a dashboard on another origin use the API; other origins stay refused. */
@SpringBootTest(
        classes = SluiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sluice.cors.allowed-origins=https://*.example.com")
class CorsIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", () -> {
            try {
                return Files.createTempDirectory("sluice-cors-it").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/topics"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConfiguredOriginMayCallTheApi() throws Exception {
        HttpResponse<String> allowed = preflight("https://dash.example.com");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://dash.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValueSatisfying(methods -> assertThat(methods).contains("POST"));
    }

    @Test
    void anyOtherOriginIsRefused() throws Exception {
        HttpResponse<String> refused = preflight("https://evil.test");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aWebSocketHandshakeFromAnUnlistedOriginIsRefused() throws Exception {
        assertThat(handshake("https://evil.test")).isEqualTo(403);
        assertThat(handshake("https://dash.example.com")).isEqualTo(101);
    }

    private int handshake(String origin) throws Exception {
        // A raw upgrade request: the JDK client refuses to send Upgrade headers itself.
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            String request = "GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nOrigin: " + origin + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
