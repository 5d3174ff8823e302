package io.sluice.api.http;

import java.util.function.BiConsumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A record read's answer (partition or consumer group) before it is written, so that the WebFlux route and {@link
 * DirectReads} send the same status, headers and body. The body is a pooled buffer owned by whoever holds the answer:
 * written, or {@linkplain #release released}. Implementations hold plain values rather than {@code HttpHeaders}, which
 * each path would copy into its own response: a parked read holds its answer until it is written.
 */
interface ReadAnswer {

    HttpStatus status();

    /** The answer's headers but Content-Length, in the order they are sent. */
    void forEachHeader(BiConsumer<String, String> header);

    /** The body, or null for none. */
    DataBuffer body();

    default void release() {
        if (body() != null) {
            DataBufferUtils.release(body());
        }
    }

    /** The answer as the WebFlux route sends it. */
    static Mono<ServerResponse> response(ReadAnswer answer) {
        ServerResponse.BodyBuilder response =
                ServerResponse.status(answer.status()).headers(headers -> answer.forEachHeader(headers::add));
        return answer.body() == null ? response.build() : response.bodyValue(answer.body());
    }
}
