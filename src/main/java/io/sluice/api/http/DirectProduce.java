package io.sluice.api.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The produce of JSON record bodies ({@code POST /topics/{topic}} and {@code POST /topics/{topic}/partitions/{p}} with
 * a JSON, binary or text record Content-Type) served as a Reactor Netty route ahead of Spring's HTTP stack, as {@link
 * DirectReads} serves reads: a producer sending one small request per record (the end-to-end workload's 1,000 a
 * second) paid mostly for that stack, and its code (request and response adapters, exchange, filters, dispatcher,
 * response builder, encoder) was what the JIT still compiled, seconds into a run (BENCHMARKS.md, session 8).
 *
 * <p>The answer is {@link ProduceHandler}'s: the same body reading (size limit, timeout), the same append and offsets
 * JSON, the Content-Type negotiated from the same offer, with its Content-Length; the request holds its declared length
 * of the {@link AdmissionFilter}'s produce budget until it ends; a failure is answered with the {@link
 * ApiErrorHandler}'s error. Every other request goes to the full path unchanged, which answers (or refuses) it exactly
 * as before: another method or path, a path with escapes or matrix parameters, a query, a body without a
 * Content-Length or longer than the limit, NDJSON and raw bodies, a cross-origin request, an {@code Expect} header, an
 * Accept or Idempotency-Key header the route would reject, and a body the produce budget has no room for. Installed as
 * {@link DirectRoute} says.
 *
 * <p>Thread-safe; never blocks: the body is read by the event loop and appended on the storage scheduler.
 */
public final class DirectProduce extends DirectRoute {

    /** The topic, then maybe the partition, as plain segments: no escapes, no matrix parameters, no query. */
    private static final Pattern PATH = Pattern.compile("/topics/([^/;%?]+)(?:/partitions/([^/;%?]+))?");

    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    private final ProduceHandler produce;
    private final AdmissionFilter admission;

    /** Serves the plain JSON produce; {@code full} answers every other request sent to {@link #handle}. */
    public DirectProduce(
            HttpApi api,
            AdmissionFilter admission,
            ApiErrorHandler errors,
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> full) {
        super(errors, full);
        this.produce = api.produce();
        this.admission = admission;
    }

    /** Whether the request may be a plain produce, to be sent to {@link #handle}; allocates nothing. */
    public boolean mayServe(HttpServerRequest request) {
        return io.netty.handler.codec.http.HttpMethod.POST.equals(request.method())
                && request.uri().startsWith("/topics/");
    }

    /** Answers a plain produce, or hands the request to the full path. */
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Produce plain = plainProduce(request);
        if (plain == null || !admission.tryAdmitProduce(plain.length())) {
            return full(request, response);
        }
        Flux<DataBuffer> body = request.receive().retain().map(BUFFERS::wrap);
        return produce.answer(body, plain.length(), plain.format(), plain.topic(), plain.partition(), plain.key())
                .publishOn(loopOf(request))
                .flatMap(answer -> {
                    response.status(200);
                    response.header(
                            HttpHeaderNames.CONTENT_TYPE, plain.answerType().toString());
                    response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(answer.length));
                    return response.sendByteArray(Mono.just(answer)).then();
                })
                .onErrorResume(error -> writeError(HttpMethod.POST, request, response, error))
                .doFinally(signal -> admission.releaseProduce(plain.length()));
    }

    /** A produce this route serves: where, in which format, its declared length and the answer's Content-Type. */
    private record Produce(
            String topic,
            OptionalInt partition,
            EmbeddedFormat format,
            long length,
            Optional<String> key,
            MediaType answerType) {}

    /** The produce if the full path would serve this request as one, with nothing to refuse up front; else null. */
    private Produce plainProduce(HttpServerRequest request) {
        Matcher path = PATH.matcher(request.uri());
        HttpHeaders headers = request.requestHeaders();
        if (!path.matches()
                || headers.contains(HttpHeaderNames.ORIGIN)
                || headers.contains(HttpHeaderNames.EXPECT)
                || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null;
        }
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> types = headers.getAll(HttpHeaderNames.CONTENT_TYPE);
        List<String> accept = headers.getAll(HttpHeaderNames.ACCEPT);
        if (lengths.size() != 1 || types.size() > 1 || accept.size() > 1) {
            return null;
        }
        try {
            long length = Long.parseLong(lengths.get(0));
            MediaType type = types.isEmpty() ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(types.get(0));
            // in the full path's order: NDJSON and raw bodies first (a wildcard type is one of those there)
            Optional<EmbeddedFormat> format = type.isCompatibleWith(MediaType.APPLICATION_NDJSON)
                            || type.isCompatibleWith(MediaType.APPLICATION_OCTET_STREAM)
                    ? Optional.empty()
                    : EmbeddedFormat.ofContentType(type);
            if (length < 0 || length > produce.maxRequestBytes() || format.isEmpty()) {
                return null;
            }
            MediaType answerType = HttpSupport.negotiate(
                    accept.isEmpty() ? List.of() : MediaType.parseMediaTypes(accept.get(0)),
                    SluiceMediaTypes.JSON_RESPONSES);
            OptionalInt partition = path.group(2) == null
                    ? OptionalInt.empty()
                    : OptionalInt.of(HttpSupport.pathInt("partition", path.group(2)));
            Optional<String> key = ProduceHandler.idempotencyKey(headers.getAll(ProduceHandler.IDEMPOTENCY_KEY));
            return new Produce(path.group(1), partition, format.get(), length, key, answerType);
        } catch (RuntimeException e) {
            return null; // the full path answers with the route's error, as before
        }
    }
}
