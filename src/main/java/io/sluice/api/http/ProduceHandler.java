package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.IdempotencyKeys;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceRequest;
import io.sluice.produce.ProduceService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
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
        return answer(
                        request.body(BodyExtractors.toDataBuffers()),
                        request.headers().contentLength().orElse(-1),
                        format,
                        topic,
                        partition,
                        idempotencyKey)
                .flatMap(answer -> http.respondJson(request, HttpStatus.OK, answer));
    }

    /**
     * Reads a body in one of the JSON record formats (declared length -1 when unknown; 413 beyond the limit, 408 when
     * it stalls), appends its records on the storage scheduler and completes with the answer's JSON (the offsets).
     */
    Mono<byte[]> answer(
            Flux<DataBuffer> body,
            long declaredLength,
            EmbeddedFormat format,
            String topic,
            OptionalInt partition,
            Optional<String> idempotencyKey) {
        return http.bytes(body, declaredLength)
                .flatMap(bytes -> http.blocking(() -> produceBody(bytes, format, topic, partition, idempotencyKey)));
    }

    /** The largest body accepted. */
    long maxRequestBytes() {
        return http.maxRequestBytes();
    }

    /**
     * Reads the body straight into batches and appends them; when the streaming reader cannot take the body (an error
     * or a rare shape), the tree parser and the record-list path answer it exactly as they always have.
     */
    private byte[] produceBody(
            byte[] body, EmbeddedFormat format, String topic, OptionalInt partition, Optional<String> idempotencyKey) {
        ProduceRequest target = openQuietly(topic, partition, idempotencyKey);
        if (target != null && new ProduceBodyReader(http.mapper()).readRequest(body, format, target)) {
            return ProduceAnswers.offsets(target.append(true));
        }
        List<ProduceRecord> records = bodies.parseRequest(http.parse(body), format);
        if (target == null) {
            return ProduceAnswers.offsets(produce.produce(topic, partition, records, idempotencyKey));
        }
        // the same request again, so that the keyless round-robin moves once for this body, not once per reading
        return ProduceAnswers.offsets(produce.produce(target.restart(), records));
    }

    /** The request, or null when it cannot be opened: the tree path then reports body errors before that one. */
    private ProduceRequest openQuietly(String topic, OptionalInt partition, Optional<String> idempotencyKey) {
        try {
            return produce.open(topic, partition, idempotencyKey);
        } catch (SluiceException e) {
            return null;
        }
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
        return http.blocking(() -> ProduceAnswers.offsets(produce.produce(topic, partition, records, idempotencyKey)))
                .flatMap(answer -> http.respondJson(request, HttpStatus.OK, answer));
    }

    static Optional<String> idempotencyKey(ServerRequest request) {
        return idempotencyKey(request.headers().header(IDEMPOTENCY_KEY));
    }

    /** The {@value #IDEMPOTENCY_KEY} header's one value, if sent; 400 for several, an empty or an overlong one. */
    static Optional<String> idempotencyKey(List<String> values) {
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
}
