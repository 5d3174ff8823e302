package io.sluice.api.http;

import io.sluice.fetch.FetchRequest;
import io.sluice.fetch.FetchService;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /topics/{topic}/partitions/{partition}/records}: the long-poll read. The Accept header picks the embedded
 * format (json by default, binary = base64, text = UTF-8 strings); the answer is a JSON array of records, {@code []}
 * when nothing arrived before the timeout. The wait holds no thread: the service's future is adapted here.
 */
final class RecordsHandler {

    private static final List<MediaType> OFFERED = List.of(
            MediaType.APPLICATION_JSON,
            SluiceMediaTypes.KAFKA_JSON,
            SluiceMediaTypes.KAFKA_BINARY,
            SluiceMediaTypes.SLUICE_TEXT,
            SluiceMediaTypes.KAFKA_V2);

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
        // rendered on the thread that completes the read (a storage thread), not on the event loop
        return Mono.fromFuture(() -> fetch.read(fetchRequest), false)
                .map(result -> RecordsJsonWriter.render(List.of(result), format))
                .flatMap(body ->
                        ServerResponse.status(HttpStatus.OK).contentType(type).bodyValue(body));
    }

    private static EmbeddedFormat formatOf(MediaType type) {
        if (type.equals(SluiceMediaTypes.KAFKA_BINARY)) {
            return EmbeddedFormat.BINARY;
        }
        return type.equals(SluiceMediaTypes.SLUICE_TEXT) ? EmbeddedFormat.TEXT : EmbeddedFormat.JSON;
    }
}
