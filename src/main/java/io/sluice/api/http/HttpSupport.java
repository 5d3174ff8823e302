package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What every handler needs: bounded body reading, JSON parsing with the API's error codes, response-type
 * negotiation, query parameters, and the one place where blocking service calls are moved off the event loop onto
 * the storage scheduler. Thread-safe.
 */
final class HttpSupport {

    /**
     * Runs the body timers. Not Reactor's parallel scheduler: its threads count as non-blocking, and under
     * BlockHound (the integration tests) a timed wait of its delay queue broke that scheduler for the JVM.
     */
    static final Scheduler TIMER = Schedulers.boundedElastic();

    private final ObjectMapper mapper;
    private final Scheduler storageScheduler;
    private final int maxRequestBytes;
    private final Duration bodyTimeout;

    HttpSupport(ObjectMapper mapper, Scheduler storageScheduler, int maxRequestBytes, Duration bodyTimeout) {
        this.mapper = mapper;
        this.storageScheduler = storageScheduler;
        this.maxRequestBytes = maxRequestBytes;
        this.bodyTimeout = bodyTimeout;
    }

    /** How long a body may take to arrive (for a stream: the longest pause between its parts). */
    Duration bodyTimeout() {
        return bodyTimeout;
    }

    /** The answer to a body that did not arrive within {@link #bodyTimeout()}. */
    SluiceException bodyTimedOut() {
        return new SluiceException(
                ErrorCode.REQUEST_TIMEOUT,
                "the request body did not arrive within " + bodyTimeout.toMillis() + " ms (sluice.http.body-timeout)");
    }

    ObjectMapper mapper() {
        return mapper;
    }

    int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** Where blocking calls run (bounded: scheduling beyond its queue throws {@code RejectedExecutionException}). */
    Scheduler storageScheduler() {
        return storageScheduler;
    }

    /** Runs a blocking call on the storage scheduler. */
    <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(storageScheduler);
    }

    /** The whole body, at most {@code maxRequestBytes} (413 beyond); empty array for an empty body. */
    Mono<byte[]> bytes(ServerRequest request) {
        return bytes(
                request.body(BodyExtractors.toDataBuffers()),
                request.headers().contentLength().orElse(-1));
    }

    /** As {@link #bytes(ServerRequest)}, for a body given as its buffers and its declared length (-1 if unknown). */
    Mono<byte[]> bytes(Flux<DataBuffer> body, long declared) {
        if (declared > maxRequestBytes) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(body, maxRequestBytes)
                .timeout(bodyTimeout, TIMER)
                .map(HttpSupport::drain)
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
                .onErrorMap(TimeoutException.class, e -> bodyTimedOut())
                .defaultIfEmpty(new byte[0]);
    }

    /** The body as a JSON tree; 400 when it is not JSON. */
    Mono<JsonNode> json(ServerRequest request) {
        return bytes(request).map(this::parse);
    }

    JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new SluiceException(ErrorCode.MALFORMED_REQUEST, "the request body is empty; JSON expected");
        }
        try {
            return mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new SluiceException(ErrorCode.MALFORMED_REQUEST, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** A JSON answer in the JSON type the client accepts (406 if none). */
    Mono<ServerResponse> respond(ServerRequest request, HttpStatus status, Object body) {
        MediaType type = negotiate(request, SluiceMediaTypes.JSON_RESPONSES);
        return ServerResponse.status(status).contentType(type).bodyValue(mapper.writeValueAsBytes(body));
    }

    /** JSON text already written, in the JSON type the client accepts (406 if none). */
    Mono<ServerResponse> respondJson(ServerRequest request, HttpStatus status, byte[] json) {
        MediaType type = negotiate(request, SluiceMediaTypes.JSON_RESPONSES);
        return ServerResponse.status(status).contentType(type).bodyValue(json);
    }

    /** The first of {@code offered} that the Accept header allows; 406 if none. */
    static MediaType negotiate(ServerRequest request, List<MediaType> offered) {
        return negotiate(request.headers().accept(), offered);
    }

    /** The first of {@code offered} that the Accept header's types allow; 406 if none. */
    static MediaType negotiate(List<MediaType> accepted, List<MediaType> offered) {
        if (accepted.isEmpty()) {
            return offered.get(0);
        }
        accepted = new ArrayList<>(accepted);
        // stable: equal qualities keep the client's order
        accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType acceptable : accepted) {
            for (MediaType candidate : offered) {
                if (acceptable.includes(candidate) && acceptable.getQualityValue() > 0) {
                    return candidate;
                }
            }
        }
        throw new SluiceException(ErrorCode.NOT_ACCEPTABLE, "cannot answer in " + accepted + "; available: " + offered);
    }

    Optional<String> query(ServerRequest request, String name) {
        return request.queryParam(name).filter(value -> !value.isEmpty());
    }

    /** Like {@link ServerRequest#queryParam}: the first value of the parameter, here only if not empty. */
    static Optional<String> query(MultiValueMap<String, String> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        String first = values.get(0);
        return first == null || first.isEmpty() ? Optional.empty() : Optional.of(first);
    }

    long longParam(ServerRequest request, String name, long defaultValue) {
        return longParam(request.queryParams(), name, defaultValue);
    }

    long longParam(MultiValueMap<String, String> query, String name, long defaultValue) {
        return query(query, name).map(value -> parseLong(name, value)).orElse(defaultValue);
    }

    Optional<Long> optionalLong(ServerRequest request, String name) {
        return optionalLong(request.queryParams(), name);
    }

    Optional<Long> optionalLong(MultiValueMap<String, String> query, String name) {
        return query(query, name).map(value -> parseLong(name, value));
    }

    static int pathInt(ServerRequest request, String name) {
        return pathInt(name, request.pathVariable(name));
    }

    /** A path variable that must be a non-negative int. */
    static int pathInt(String name, String text) {
        long value = parseLong(name, text);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, name + " must be a non-negative integer");
        }
        return (int) value;
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, name + " must be an integer, got '" + value + "'");
        }
    }

    private SluiceException tooLarge() {
        return new SluiceException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "the request body is larger than the maximum of " + maxRequestBytes
                        + " bytes (sluice.http.max-request-size)");
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
