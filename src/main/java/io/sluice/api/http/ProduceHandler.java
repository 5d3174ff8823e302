package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.IdempotencyKeys;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.produce.RecordOffset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Produce endpoints ({@code POST /topics/{topic}} and {@code POST /topics/{topic}/partitions/{partition}}), chosen by
 * Content-Type: the JSON record types (json, Confluent vendor types, Sluice text), {@code application/octet-stream}
 * (the body is one record value; {@code key} query parameter) and {@code application/x-ndjson} (see {@link
 * NdjsonProduce}). Anything else is a 415.
 */
final class ProduceHandler {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ProduceService produce;
    private final HttpSupport http;
    private final ProduceBodies bodies;
    private final NdjsonProduce ndjson;

    ProduceHandler(ProduceService produce, HttpSupport http) {
        this.produce = produce;
        this.http = http;
        this.bodies = new ProduceBodies(http.mapper());
        this.ndjson = new NdjsonProduce(produce, http, bodies);
    }

    Mono<ServerResponse> produce(ServerRequest request) {
        String topic = request.pathVariable("topic");
        OptionalInt partition = request.pathVariables().containsKey("partition")
                ? OptionalInt.of(HttpSupport.pathInt(request, "partition"))
                : OptionalInt.empty();
        Optional<String> idempotencyKey = idempotencyKey(request);
        MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_JSON);
        if (type.isCompatibleWith(MediaType.APPLICATION_NDJSON)) {
            return ndjson.produce(request, topic, partition, idempotencyKey);
        }
        if (type.isCompatibleWith(MediaType.APPLICATION_OCTET_STREAM)) {
            return raw(request, topic, partition, idempotencyKey);
        }
        EmbeddedFormat format = EmbeddedFormat.ofContentType(type)
                .orElseThrow(() -> new SluiceException(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "content type " + type + " cannot be produced; use application/json, "
                                + SluiceMediaTypes.KAFKA_JSON + ", " + SluiceMediaTypes.KAFKA_BINARY + ", "
                                + SluiceMediaTypes.SLUICE_TEXT + ", application/x-ndjson or application/octet-stream"));
        return http.json(request)
                .map(body -> bodies.parseRequest(body, format))
                .flatMap(records -> append(request, topic, partition, records, idempotencyKey));
    }

    private Mono<ServerResponse> raw(
            ServerRequest request, String topic, OptionalInt partition, Optional<String> idempotencyKey) {
        byte[] key = http.query(request, "key")
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        return http.bytes(request)
                .map(value -> List.of(new ProduceRecord(key, value, null, List.of(), null)))
                .flatMap(records -> append(request, topic, partition, records, idempotencyKey));
    }

    private Mono<ServerResponse> append(
            ServerRequest request,
            String topic,
            OptionalInt partition,
            List<ProduceRecord> records,
            Optional<String> idempotencyKey) {
        return http.blocking(() -> produce.produce(topic, partition, records, idempotencyKey))
                .flatMap(offsets -> http.respond(request, HttpStatus.OK, Map.of("offsets", offsets)));
    }

    static Optional<String> idempotencyKey(ServerRequest request) {
        List<String> values = request.headers().header(IDEMPOTENCY_KEY);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String key = values.get(0).trim();
        if (values.size() > 1 || key.isEmpty() || key.length() > IdempotencyKeys.MAX_LENGTH) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE,
                    IDEMPOTENCY_KEY + " must be one non-empty value of at most " + IdempotencyKeys.MAX_LENGTH
                            + " characters");
        }
        return Optional.of(key);
    }

    /** The JSON shape of one produced record's position. */
    static Map<String, Object> offsetBody(RecordOffset offset) {
        return Map.of("partition", offset.partition(), "offset", offset.offset());
    }
}
