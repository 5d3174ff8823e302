package io.sluice.app;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpRequestDecoderSpec;
import reactor.netty.http.server.HttpServer;

/**
 * Lets a request body arrive in pieces as large as what one socket read brought in (up to {@link #MAX_CHUNK_BYTES}),
 * instead of Netty's default cut into 8 KiB pieces. Every piece of a body is one signal through WebFlux and Reactor,
 * and a streamed NDJSON produce answers per piece (one storage task, one append, one flushed answer), so 8 KiB pieces
 * cost a storage hop and a write for every 8 records of 1 KB. Nothing is copied either way: a piece is a slice of the
 * read buffer.
 *
 * <p>Reactor Netty builds the decoder settings from scratch on every {@code httpRequestDecoder} call, so this runs
 * after Spring Boot's own decoder settings ({@code server.max-http-request-header-size}, {@code
 * server.netty.max-initial-line-length}, ...) and carries each of them over.
 */
@Component
class RequestChunkCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    /** Netty's socket reads are at most 64 KiB (its adaptive receive buffer's ceiling). */
    static final int MAX_CHUNK_BYTES = 64 * 1024;

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(RequestChunkCustomizer::largerChunks);
    }

    /** After Spring Boot's {@code NettyReactiveWebServerFactoryCustomizer} (order 0), so that its settings are kept. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    static HttpServer largerChunks(HttpServer server) {
        HttpRequestDecoderSpec current = server.configuration().decoder();
        return server.httpRequestDecoder(spec -> spec.maxInitialLineLength(current.maxInitialLineLength())
                .maxHeaderSize(current.maxHeaderSize())
                .validateHeaders(current.validateHeaders())
                .initialBufferSize(current.initialBufferSize())
                .allowDuplicateContentLengths(current.allowDuplicateContentLengths())
                .allowPartialChunks(current.allowPartialChunks())
                .h2cMaxContentLength(current.h2cMaxContentLength())
                .maxChunkSize(Math.max(current.maxChunkSize(), MAX_CHUNK_BYTES)));
    }
}
