package io.sluice.api.http;

import io.sluice.fetch.FetchRequest;
import io.sluice.fetch.FetchResult;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.FetchedBatches;
import java.util.List;
import java.util.function.BiConsumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /topics/{topic}/partitions/{partition}/records}: the long-poll read. The Accept header picks the embedded
 * format (json by default, binary = base64, text = UTF-8 strings); the answer is a JSON array of records, {@code []}
 * when nothing arrived before the timeout. With {@code Accept: application/vnd.sluice.batches} the body is instead the
 * stored Kafka record batches themselves (see {@link FetchedBatches}; 204 No Content when nothing arrived). Every
 * answer names where the next read continues and the log's bounds in headers ({@value #NEXT_OFFSET_HEADER},
 * {@value #HIGH_WATERMARK_HEADER}, {@value #LOG_START_HEADER}), so a client can send its next read before it has
 * parsed this one. The wait holds no thread: the service's future is adapted here.
 *
 * <p>Parsing ({@link #parse}) and answering ({@link #answer}) are separate from the WebFlux route ({@link #read}) so
 * that {@link DirectReads} serves the same read, with the same answer, without the WebFlux exchange.
 */
final class RecordsHandler {

    private static final List<MediaType> OFFERED = List.of(
            MediaType.APPLICATION_JSON,
            SluiceMediaTypes.KAFKA_JSON,
            SluiceMediaTypes.KAFKA_BINARY,
            SluiceMediaTypes.SLUICE_TEXT,
            SluiceMediaTypes.KAFKA_V2,
            SluiceMediaTypes.BATCHES);

    static final String NEXT_OFFSET_HEADER = "Sluice-Next-Offset";
    static final String HIGH_WATERMARK_HEADER = "Sluice-High-Watermark";
    static final String LOG_START_HEADER = "Sluice-Log-Start-Offset";

    private final FetchService fetch;
    private final HttpSupport http;
    private final ReadDefaults defaults;

    /** Defaults and caps of the read parameters. */
    record ReadDefaults(long waitMs, int maxBytes, int maxRecords) {}

    /** A parsed read: what to fetch and the negotiated answer type. */
    record Read(FetchRequest request, MediaType type) {}

    /**
     * A read's answer before it is written: status, content type (null with no body), where the next read continues,
     * the log's bounds, and the body (null for none).
     */
    record Answer(
            HttpStatus status,
            MediaType contentType,
            long nextOffset,
            long highWatermark,
            long logStartOffset,
            DataBuffer body)
            implements ReadAnswer {

        @Override
        public void forEachHeader(BiConsumer<String, String> header) {
            if (contentType != null) {
                header.accept(HttpHeaders.CONTENT_TYPE, contentType.toString());
            }
            header.accept(NEXT_OFFSET_HEADER, Long.toString(nextOffset));
            header.accept(HIGH_WATERMARK_HEADER, Long.toString(highWatermark));
            header.accept(LOG_START_HEADER, Long.toString(logStartOffset));
        }
    }

    RecordsHandler(FetchService fetch, HttpSupport http, ReadDefaults defaults) {
        this.fetch = fetch;
        this.http = http;
        this.defaults = defaults;
    }

    Mono<ServerResponse> read(ServerRequest request) {
        Read read = parse(
                request.pathVariable("topic"),
                request.pathVariable("partition"),
                request.queryParams(),
                request.headers().accept());
        return answer(read)
                .flatMap(ReadAnswer::response)
                // a pooled body dropped by a cancellation (client gone) goes back to the pool
                .doOnDiscard(Answer.class, Answer::release)
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /**
     * The read the path variables, query parameters and Accept header ask for (as the router gives them: decoded, the
     * first value of a parameter). Throws a {@link io.sluice.common.SluiceException} for an invalid parameter or an
     * Accept header nothing is offered in.
     */
    Read parse(String topic, String partition, MultiValueMap<String, String> query, List<MediaType> accept) {
        MediaType type = HttpSupport.negotiate(accept, OFFERED);
        FetchRequest fetchRequest = new FetchRequest(
                topic,
                HttpSupport.pathInt("partition", partition),
                http.optionalLong(query, "offset").orElse(null),
                (int) Math.min(Integer.MAX_VALUE, http.longParam(query, "max_bytes", defaults.maxBytes())),
                (int) Math.min(defaults.maxRecords(), http.longParam(query, "max_records", defaults.maxRecords())),
                http.longParam(query, "timeout", defaults.waitMs()));
        return new Read(fetchRequest, type);
    }

    /** Reads (waiting as asked) and completes with the answer, or with the read's error. */
    Mono<Answer> answer(Read read) {
        FetchRequest fetchRequest = read.request();
        if (read.type().equals(SluiceMediaTypes.BATCHES)) {
            return Mono.fromFuture(() -> fetch.readBatches(fetchRequest), false)
                    .map(RecordsHandler::batches)
                    // a read that completes after a cancellation (client gone) gives its buffer back
                    .doOnDiscard(FetchedBatches.class, FetchedBatches::release);
        }
        EmbeddedFormat format = formatOf(read.type());
        // rendered on the thread that completes the read (a storage thread), never on the event loop
        return Mono.fromFuture(
                () -> fetch.read(
                        fetchRequest,
                        result -> new Answer(
                                HttpStatus.OK,
                                read.type(),
                                nextOffset(fetchRequest, result),
                                result.highWatermark(),
                                result.logStartOffset(),
                                RecordsJsonWriter.render(List.of(result), format)),
                        Answer::release),
                false);
    }

    /** The stored batches as the body, with where to continue and the log's bounds in headers. */
    private static Answer batches(FetchedBatches read) {
        if (read.isEmpty()) {
            return new Answer(
                    HttpStatus.NO_CONTENT, null, read.nextOffset(), read.highWatermark(), read.logStartOffset(), null);
        }
        return new Answer(
                HttpStatus.OK,
                SluiceMediaTypes.BATCHES,
                read.nextOffset(),
                read.highWatermark(),
                read.logStartOffset(),
                WrappedBodies.of(read));
    }

    /** After the last record returned; with none, where this read started. */
    private static long nextOffset(FetchRequest request, FetchResult result) {
        if (!result.records().isEmpty()) {
            return result.records().nextOffset();
        }
        return request.offset() != null ? request.offset() : result.logStartOffset();
    }

    private static EmbeddedFormat formatOf(MediaType type) {
        if (type.equals(SluiceMediaTypes.KAFKA_BINARY)) {
            return EmbeddedFormat.BINARY;
        }
        return type.equals(SluiceMediaTypes.SLUICE_TEXT) ? EmbeddedFormat.TEXT : EmbeddedFormat.JSON;
    }
}
