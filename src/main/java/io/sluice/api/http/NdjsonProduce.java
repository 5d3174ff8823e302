package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.produce.RecordOffset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Streaming produce: an {@code application/x-ndjson} body of one JSON record per line ({@code
 * {"key","value","partition","headers","timestamp"}}, json format) answered by one NDJSON line per record, in order,
 * each written and flushed as soon as its record is appended, while the request is still streaming. A line's answer
 * is {@code {"partition","offset"}} or {@code {"error_code","message"}}; a bad line does not stop the stream. Blank
 * lines are skipped. With an {@code Idempotency-Key}, line n (counted from 0, blank lines included) is produced with
 * the key {@code <key>/<n>}, so replaying the whole stream writes nothing twice.
 */
final class NdjsonProduce {

    private final ProduceService produce;
    private final HttpSupport http;
    private final ProduceBodies bodies;
    private final StringDecoder lines;

    NdjsonProduce(ProduceService produce, HttpSupport http, ProduceBodies bodies) {
        this.produce = produce;
        this.http = http;
        this.bodies = bodies;
        this.lines = StringDecoder.allMimeTypes(List.of("\n"), true);
        this.lines.setMaxInMemorySize(http.maxRequestBytes());
    }

    Mono<ServerResponse> produce(
            ServerRequest request, String topic, OptionalInt partition, Optional<String> idempotencyKey) {
        Flux<String> input = lines.decode(
                request.body(BodyExtractors.toDataBuffers()), ResolvableType.forClass(String.class), null, null);
        Flux<byte[]> answers = input.index()
                .filter(line -> !line.getT2().isBlank())
                .concatMap(line -> produceLine(topic, partition, line.getT1(), line.getT2(), idempotencyKey))
                .onErrorResume(e -> Mono.just(errorLine(streamError(e))));
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_NDJSON)
                .body((message, context) -> message.writeAndFlushWith(
                        answers.map(bytes -> Mono.just(message.bufferFactory().wrap(bytes)))));
    }

    private Mono<byte[]> produceLine(
            String topic, OptionalInt partition, long lineNumber, String line, Optional<String> idempotencyKey) {
        return http.blocking(() -> {
                    String where = "line " + lineNumber;
                    ProduceRecord record = bodies.parseRecord(parseLine(where, line), EmbeddedFormat.JSON, where);
                    Optional<String> key = idempotencyKey.map(k -> k + "/" + lineNumber);
                    RecordOffset offset = produce.produce(topic, partition, List.of(record), key)
                            .get(0);
                    return http.mapper().writeValueAsBytes(ProduceHandler.offsetBody(offset));
                })
                .map(NdjsonProduce::withNewline)
                .onErrorResume(SluiceException.class, e -> Mono.just(errorLine(e)));
    }

    private JsonNode parseLine(String where, String line) {
        try {
            return http.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (SluiceException e) {
            throw new SluiceException(e.errorCode(), where + ": " + e.getMessage());
        }
    }

    private byte[] errorLine(SluiceException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", e.errorCode().code());
        body.put("message", e.getMessage());
        return withNewline(http.mapper().writeValueAsBytes(body));
    }

    private SluiceException streamError(Throwable e) {
        if (e instanceof DataBufferLimitException) {
            return new SluiceException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "an NDJSON line is longer than " + http.maxRequestBytes() + " bytes; the stream was stopped");
        }
        return e instanceof SluiceException s
                ? s
                : new SluiceException(ErrorCode.MALFORMED_REQUEST, "the stream failed: " + e.getMessage());
    }

    private static byte[] withNewline(byte[] json) {
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }
}
