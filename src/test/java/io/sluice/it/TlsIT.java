package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through a Spring Boot SSL bundle, as the README documents it: the test makes a self-signed certificate with
 * the JDK's keytool, writes it and its key as PEM files, starts a real server process with {@code server.ssl.bundle}
 * naming a {@code spring.ssl.bundle.pem.*} bundle (set through environment variables, as in a container), and talks HTTPS and WSS to it with a client that trusts only that
 * certificate (host name checked). Plain HTTP on the same port is not served.
 */
class TlsIT {

    private static final String PASSWORD = "test-only";

    @TempDir
    static Path dir;

    private static SluiceProcess server;
    private static HttpClient https;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "sluice",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = store.getCertificate("sluice");
        PrivateKey key = (PrivateKey) store.getKey("sluice", PASSWORD.toCharArray());
        Path certFile = Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));

        Path data = Files.createDirectories(dir.resolve("data"));
        // configured through the environment, exactly as the README's container example does
        server = new SluiceProcess(data);
        server.environment().put("SERVER_SSL_BUNDLE", "sluice");
        server.environment().put("SPRING_SSL_BUNDLE_PEM_SLUICE_KEYSTORE_CERTIFICATE", "file:" + certFile);
        server.environment().put("SPRING_SSL_BUNDLE_PEM_SLUICE_KEYSTORE_PRIVATEKEY", "file:" + keyFile);
        server.launch();
        https = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(certificate))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        base = "https://localhost:" + server.port();
        server.awaitUp(() -> get("/actuator/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void servesTheApiOverHttps() throws Exception {
        HttpResponse<String> created = https.send(
                HttpRequest.newBuilder(URI.create(base + "/topics"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sealed\",\"partitions\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.sslSession())
                .hasValueSatisfying(session -> assertThat(session.getProtocol()).startsWith("TLSv1."));
        assertThat(get("/topics/sealed").statusCode()).isEqualTo(200);
    }

    @Test
    void servesTheWebSocketOverWss() throws Exception {
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        WebSocket socket = https.newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + server.port() + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            firstFrame.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
        socket.sendText(
                        "{\"op\":\"produce\",\"correlation_id\":\"c1\",\"topic\":\"over-wss\",\"format\":\"json\","
                                + "\"records\":[{\"value\":1}]}",
                        true)
                .get(10, TimeUnit.SECONDS);
        // the topic does not exist: the answer is an error frame for c1, which proves the round trip over TLS
        assertThat(firstFrame.get(30, TimeUnit.SECONDS)).contains("\"correlation_id\":\"c1\"");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void plainHttpOnTheTlsPortIsNotServed() throws Exception {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/actuator/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream()
                    .write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                raw.getInputStream().transferTo(answer);
            } catch (IOException reset) {
                // a reset is as good as a close: nothing was served
            }
            assertThat(answer.toString(StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1");
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return https.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sluice", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
