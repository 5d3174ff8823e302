package io.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The load generator's view of Sluice's HTTP API over one Reactor Netty client with a bounded connection pool
 * (HTTP/1.1 keep-alive, one request per connection at a time). Bodies are produced by a supplier when the request
 * is actually written, so the time to build them is part of the measured request. Thread-safe.
 */
final class SluiceHttp implements AutoCloseable {

    /** A response, fully read. */
    record Response(int status, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A response's status line and headers, before its body. */
    record Head(int status, HttpHeaders headers) {
        long longHeader(String name) {
            String value = headers.get(name);
            if (value == null) {
                throw new IllegalStateException("HTTP " + status + " without a " + name + " header");
            }
            return Long.parseLong(value);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private final ConnectionProvider pool;
    private final HttpClient client;

    SluiceHttp(String baseUrl, int maxConnections) {
        this.pool = ConnectionProvider.builder("sluice-bench")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(10))
                .build();
        this.client = HttpClient.create(pool).baseUrl(baseUrl).keepAlive(true);
    }

    HttpClient client() {
        return client;
    }

    Mono<Response> post(String path, String contentType, Supplier<ByteBuf> body) {
        return client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, contentType)
                        .set(HttpHeaderNames.ACCEPT, "application/json"))
                .post()
                .uri(path)
                .send(Mono.fromSupplier(body))
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(EMPTY)
                        .map(bytes -> new Response(response.status().code(), bytes)));
    }

    Mono<Response> get(String path, String accept) {
        return client.headers(h -> h.set(HttpHeaderNames.ACCEPT, accept))
                .get()
                .uri(path)
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(EMPTY)
                        .map(bytes -> new Response(response.status().code(), bytes)));
    }

    /** Reads a response's body where the client received it; the buffer is released once this returns. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(int status, ByteBuf body);
    }

    /**
     * A GET that hands the response's head to {@code onHead} as soon as it arrives, before the body is read (so the
     * caller can send its next request while this body is still on its way), then the body to {@code reader} as the
     * client's own buffers hold it (empty if there is none), as a streaming client reads it: a read's megabytes are not
     * copied into one new array first, which on this 2-core machine cost the server a share of its CPU for zeroing and
     * page faults.
     */
    <T> Mono<T> get(String path, String accept, Consumer<Head> onHead, BodyReader<T> reader) {
        return client.headers(h -> h.set(HttpHeaderNames.ACCEPT, accept))
                .get()
                .uri(path)
                .response((response, content) -> {
                    int status = response.status().code();
                    onHead.accept(new Head(status, response.responseHeaders()));
                    return content.aggregate()
                            .defaultIfEmpty(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                            .map(body -> {
                                try {
                                    return reader.read(status, body);
                                } finally {
                                    body.release();
                                }
                            });
                })
                .single();
    }

    /** One request with an optional JSON body (setup calls, not measured). */
    Mono<Response> send(String method, String path, byte[] json) {
        return client.headers(h -> {
                    h.set(HttpHeaderNames.ACCEPT, "application/json");
                    if (json != null) {
                        h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    }
                })
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                .uri(path)
                .send(json == null ? Mono.empty() : Mono.just(io.netty.buffer.Unpooled.wrappedBuffer(json)))
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(EMPTY)
                        .map(bytes -> new Response(response.status().code(), bytes)));
    }

    /** Creates the topic; an existing topic (409) is fine, anything else fails. */
    void createTopic(String name, int partitions) {
        String json = "{\"name\":\"" + name + "\",\"partitions\":" + partitions + ",\"configs\":{}}";
        Response response = post(
                        "/topics",
                        "application/json",
                        () -> io.netty.buffer.Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)))
                .block(Duration.ofMinutes(5));
        if (response == null || (!response.ok() && response.status() != 409)) {
            throw new IllegalStateException("create topic " + name + " failed: "
                    + (response == null ? "no response" : response.status() + " " + response.text()));
        }
    }

    static String recordsPath(String topic, int partition, long offset, long timeoutMs, int maxBytes) {
        return "/topics/" + topic + "/partitions/" + partition + "/records?offset=" + offset + "&timeout=" + timeoutMs
                + "&max_bytes=" + maxBytes;
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(10));
    }
}
