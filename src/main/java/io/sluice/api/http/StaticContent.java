package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
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
 * revalidated on each use ({@code no-cache}), so a new release is picked up at once.
 *
 * <p>Every answer carries a strict Content-Security-Policy ({@link #policy}): scripts, styles, images and fonts only
 * from this origin (no inline script or style attribute, no eval), connections only to this origin over HTTP(S) and
 * WebSocket, no framing, no plugins, no base or form redirection; plus {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}. The dashboard is written for it: styles live in {@code app.css}, widths set
 * at run time go through the CSSOM. Immutable, thread-safe.
 */
public final class StaticContent {

    /** One file: its bytes, type and entity tag. */
    public record Entry(byte[] bytes, MediaType type, String etag) {}

    /** One host name, IPv4 address or bracketed IPv6 address, with an optional port: safe to repeat in a header. */
    private static final Pattern AUTHORITY =
            Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

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
                    .headers(headers -> secure(headers, request))
                    .eTag(entry.etag())
                    .build();
        }
        return ServerResponse.ok()
                .headers(headers -> secure(headers, request))
                .contentType(entry.type())
                .eTag(entry.etag())
                .cacheControl(CacheControl.noCache())
                .bodyValue(entry.bytes());
    }

    private static void secure(HttpHeaders headers, ServerRequest request) {
        headers.set("Content-Security-Policy", policy(request.uri().getRawAuthority()));
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
    }

    /**
     * The page's Content-Security-Policy. {@code connect-src 'self'} covers same-origin WebSockets in current browsers
     * (CSP level 3); the explicit {@code ws:}/{@code wss:} sources of {@code authority} (the host the browser asked for,
     * as rewritten from {@code Forwarded} headers) cover older ones, and are left out unless it is a plain host and
     * port.
     */
    static String policy(String authority) {
        String sockets = authority != null && AUTHORITY.matcher(authority).matches()
                ? " ws://" + authority + " wss://" + authority
                : "";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self'" + sockets + "; form-action 'self'; base-uri 'none'; object-src 'none'; "
                + "frame-ancestors 'none'";
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
