package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves the dashboard's files from memory. They are read once at start (a few hundred KB); serving them from the jar
 * on each request would read zip entries with blocking I/O on a Netty event loop. Every file gets an ETag and is
 * revalidated on each use ({@code no-cache}), so a new release is picked up at once. Immutable, thread-safe.
 */
public final class StaticContent {

    /** One file: its bytes, type and entity tag. */
    public record Entry(byte[] bytes, MediaType type, String etag) {}

    private final Map<String, Entry> files;

    /** @param files request path (e.g. {@code /js/app.js}) to content; {@code /index.html} is also served at {@code /} */
    public StaticContent(Map<String, byte[]> files) {
        Map<String, Entry> entries = new TreeMap<>();
        files.forEach((path, bytes) -> entries.put(path, new Entry(bytes, typeOf(path), etag(bytes))));
        Entry index = entries.get("/index.html");
        if (index != null) {
            entries.put("/", index);
        }
        this.files = Map.copyOf(entries);
    }

    public RouterFunction<ServerResponse> routes() {
        RouterFunctions.Builder routes = RouterFunctions.route();
        files.keySet().forEach(path -> routes.route(GET(path), this::serve));
        return routes.build();
    }

    public Optional<Entry> entry(String path) {
        return Optional.ofNullable(files.get(path));
    }

    private Mono<ServerResponse> serve(ServerRequest request) {
        Entry entry = files.get(request.path());
        if (entry == null) {
            return ServerResponse.notFound().build();
        }
        if (request.headers().header("If-None-Match").contains(entry.etag())) {
            return ServerResponse.status(HttpStatus.NOT_MODIFIED)
                    .eTag(entry.etag())
                    .build();
        }
        return ServerResponse.ok()
                .contentType(entry.type())
                .eTag(entry.etag())
                .cacheControl(CacheControl.noCache())
                .bodyValue(entry.bytes());
    }

    private static MediaType typeOf(String path) {
        if (path.endsWith(".html")) {
            return new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
        }
        if (path.endsWith(".js")) {
            return new MediaType("text", "javascript", StandardCharsets.UTF_8);
        }
        if (path.endsWith(".css")) {
            return new MediaType("text", "css", StandardCharsets.UTF_8);
        }
        if (path.endsWith(".svg")) {
            return MediaType.valueOf("image/svg+xml");
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
