package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceService;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streaming produce: an {@code application/x-ndjson} body of one JSON record per line ({@code
 * {"key","value","partition","headers","timestamp"}}, json format) answered by one NDJSON line per record, in order,
 * while the request is still streaming. A line's answer is {@code {"partition","offset"}} or {@code
 * {"error_code","message"}}; a bad line does not stop the stream. Blank lines are skipped. With an {@code
 * Idempotency-Key}, line n (counted from 0, blank lines included) is produced with the key {@code <key>/<n>}, so
 * replaying the whole stream writes nothing twice.
 *
 * <p>The lines that have arrived are produced together: every network chunk's complete lines (see {@link
 * NdjsonLines}) are queued, and one storage task at a time hands all that is queued to the stream's {@link
 * NdjsonAppender} (one append for all of it) and writes and flushes the answers in one buffer; what arrives while it
 * runs or while its answer is being written goes into the next task ({@link NdjsonStream}). Nothing waits for more
 * input than has arrived.
 */
final class NdjsonProduce {

    private final ProduceService produce;
    private final HttpSupport http;
    private final ProduceBodies bodies;

    NdjsonProduce(ProduceService produce, HttpSupport http, ProduceBodies bodies) {
        this.produce = produce;
        this.http = http;
        this.bodies = bodies;
    }

    Mono<ServerResponse> produce(
            ServerRequest request, String topic, OptionalInt partition, Optional<String> idempotencyKey) {
        NdjsonLines lines = new NdjsonLines(http.maxRequestBytes());
        NdjsonAppender appender = new NdjsonAppender(produce, http, bodies, topic, partition, idempotencyKey);
        Flux<NdjsonLines.Group> groups = request.body(BodyExtractors.toDataBuffers())
                .<NdjsonLines.Group>handle(lines::accept)
                .concatWith(Mono.fromSupplier(lines::finish));
        Flux<byte[]> answers = NdjsonStream.answers(
                groups,
                appender::append,
                e -> appender.errorLine(streamError(e)),
                http.storageScheduler(),
                HttpSupport.TIMER,
                http.bodyTimeout());
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_NDJSON)
                .body((message, context) -> message.writeAndFlushWith(
                        answers.map(bytes -> Mono.just(message.bufferFactory().wrap(bytes)))));
    }

    private SluiceException streamError(Throwable e) {
        if (e instanceof TimeoutException) {
            return http.bodyTimedOut();
        }
        if (e instanceof RejectedExecutionException) {
            return new SluiceException(ErrorCode.TOO_MANY_REQUESTS, "the server is overloaded; retry later");
        }
        if (e instanceof DataBufferLimitException) {
            return new SluiceException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "an NDJSON line is longer than " + http.maxRequestBytes() + " bytes; the stream was stopped");
        }
        return e instanceof SluiceException s
                ? s
                : new SluiceException(ErrorCode.MALFORMED_REQUEST, "the stream failed: " + e.getMessage());
    }
}
