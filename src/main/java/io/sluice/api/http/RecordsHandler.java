package io.sluice.api.http;

import io.sluice.fetch.FetchRequest;
import io.sluice.fetch.FetchResult;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.FetchedBatches;
import io.sluice.fetch.FetchedRecord;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

    RecordsHandler(FetchService fetch, HttpSupport http, ReadDefaults defaults) {
        this.fetch = fetch;
        this.http = http;
        this.defaults = defaults;
    }

    Mono<ServerResponse> read(ServerRequest request) {
        MediaType type = HttpSupport.negotiate(request, OFFERED);
        EmbeddedFormat format = formatOf(type);
        FetchRequest fetchRequest = new FetchRequest(
                request.pathVariable("topic"),
                HttpSupport.pathInt(request, "partition"),
                http.optionalLong(request, "offset").orElse(null),
                (int) Math.min(Integer.MAX_VALUE, http.longParam(request, "max_bytes", defaults.maxBytes())),
                (int) Math.min(defaults.maxRecords(), http.longParam(request, "max_records", defaults.maxRecords())),
                http.longParam(request, "timeout", defaults.waitMs()));
        if (type.equals(SluiceMediaTypes.BATCHES)) {
            return Mono.fromFuture(() -> fetch.readBatches(fetchRequest), false)
                    .flatMap(RecordsHandler::batches)
                    // an answer or body dropped by a cancellation (client gone) gives its buffer back
                    .doOnDiscard(FetchedBatches.class, FetchedBatches::release)
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        }
        // rendered on the thread that completes the read (a storage thread), not on the event loop
        return Mono.fromFuture(() -> fetch.read(fetchRequest), false)
                .flatMap(result -> ServerResponse.status(HttpStatus.OK)
                        .contentType(type)
                        .header(NEXT_OFFSET_HEADER, Long.toString(nextOffset(fetchRequest, result)))
                        .header(HIGH_WATERMARK_HEADER, Long.toString(result.highWatermark()))
                        .header(LOG_START_HEADER, Long.toString(result.logStartOffset()))
                        .bodyValue(RecordsJsonWriter.render(List.of(result), format)))
                // a pooled body dropped by a cancellation (client gone) goes back to the pool
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /** The stored batches as the body, with where to continue and the log's bounds in headers. */
    private static Mono<ServerResponse> batches(FetchedBatches read) {
        ServerResponse.BodyBuilder response = ServerResponse.status(
                        read.isEmpty() ? HttpStatus.NO_CONTENT : HttpStatus.OK)
                .header(NEXT_OFFSET_HEADER, Long.toString(read.nextOffset()))
                .header(HIGH_WATERMARK_HEADER, Long.toString(read.highWatermark()))
                .header(LOG_START_HEADER, Long.toString(read.logStartOffset()));
        if (read.isEmpty()) {
            return response.build();
        }
        return response.contentType(SluiceMediaTypes.BATCHES).bodyValue(WrappedBodies.of(read));
    }

    /** After the last record returned; with none, where this read started. */
    private static long nextOffset(FetchRequest request, FetchResult result) {
        List<FetchedRecord> records = result.records();
        if (!records.isEmpty()) {
            return records.get(records.size() - 1).offset() + 1;
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
