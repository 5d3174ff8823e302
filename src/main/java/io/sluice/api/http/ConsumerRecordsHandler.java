package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.fetch.GroupBatchesResult;
import io.sluice.fetch.GroupFetchService;
import io.sluice.fetch.GroupReadRequest;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.InstanceInfo;
import io.sluice.group.PositionReset;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
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
 * {@code GET /consumers/{group}/instances/{instance}/records?timeout=&max_bytes=&max_records=}: the long-poll over
 * every partition the instance owns (see {@link GroupFetchService}). The answer is a JSON array of records rendered
 * like the partition read, in the instance's format (the Accept header only picks among the media types of that
 * format). Headers: {@value #GENERATION_HEADER} (the group generation the records belong to) and, when the
 * instance's {@code auto.offset.reset} moved positions, {@value #RESET_HEADER} with one entry per partition
 * ({@code <topic>:<partition> from=<old> to=<new> policy=<earliest|latest> reason=<before_log_start|after_log_end>},
 * comma separated). With {@code Accept: application/vnd.sluice.batches} the answer is instead the stored Kafka
 * record batches framed per partition ({@link GroupBatchesBody}; 204 No Content when there are none), with the same
 * positions and headers. The wait holds no thread.
 */
final class ConsumerRecordsHandler {

    static final String GENERATION_HEADER = "Sluice-Generation";
    static final String RESET_HEADER = "Sluice-Position-Reset";

    private final GroupCoordinator groups;
    private final GroupFetchService reads;
    private final HttpSupport http;
    private final RecordsHandler.ReadDefaults defaults;
    private final Access access;

    ConsumerRecordsHandler(
            GroupCoordinator groups,
            GroupFetchService reads,
            HttpSupport http,
            Access access,
            RecordsHandler.ReadDefaults defaults) {
        this.access = access;
        this.groups = groups;
        this.reads = reads;
        this.http = http;
        this.defaults = defaults;
    }

    /**
     * A parsed group read: the instance, the limits, the wait asked for (null: the instance's own default) and the
     * Accept header's media types (negotiated once the instance's format is known).
     */
    record Read(String group, String instance, int maxBytes, int maxRecords, Long timeoutMs, List<MediaType> accept) {}

    /**
     * A group read's answer before it is written: status, content type (null with no body), the instance's lease,
     * the generation the records belong to, the position resets (null for none) and the body (null for none).
     */
    record Answer(
            HttpStatus status, MediaType contentType, long leaseMs, int generation, String resets, DataBuffer body)
            implements ReadAnswer {

        @Override
        public void forEachHeader(BiConsumer<String, String> header) {
            if (contentType != null) {
                header.accept(HttpHeaders.CONTENT_TYPE, contentType.toString());
            }
            header.accept(ConsumerApi.LEASE_HEADER, Long.toString(leaseMs));
            header.accept(GENERATION_HEADER, Integer.toString(generation));
            if (resets != null) {
                header.accept(RESET_HEADER, resets);
            }
        }
    }

    Mono<ServerResponse> read(ServerRequest request) {
        Read read = parse(
                request.pathVariable("group"),
                request.pathVariable("instance"),
                request.queryParams(),
                request.headers().accept());
        return answer(read, readableAssignment(request, read.group(), read.instance()))
                .flatMap(ReadAnswer::response)
                // a pooled body dropped by a cancellation (client gone) goes back to the pool
                .doOnDiscard(Answer.class, Answer::release)
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /**
     * The read the path variables, query parameters and Accept header ask for (as the router gives them: decoded, the
     * first value of a parameter). Throws a {@link SluiceException} for an invalid parameter.
     */
    Read parse(String group, String instance, MultiValueMap<String, String> query, List<MediaType> accept) {
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, http.longParam(query, "max_bytes", defaults.maxBytes()));
        int maxRecords =
                (int) Math.min(defaults.maxRecords(), http.longParam(query, "max_records", defaults.maxRecords()));
        Long timeout = http.optionalLong(query, "timeout").orElse(null);
        if (maxBytes < 1 || maxRecords < 1 || (timeout != null && timeout < 0)) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "max_bytes and max_records must be >= 1, timeout >= 0");
        }
        return new Read(group, instance, maxBytes, maxRecords, timeout, accept);
    }

    /**
     * Looks the instance up (renewing its lease; 40403 before anything else), runs {@code check} (nothing is read if
     * it fails), negotiates the media type from the instance's format, then reads (waiting as asked) and completes
     * with the answer, or with the read's error.
     */
    Mono<Answer> answer(Read read, Mono<Void> check) {
        return http.blocking(() -> groups.instance(read.group(), read.instance()))
                .flatMap(info -> check.thenReturn(info))
                .flatMap(info -> {
                    EmbeddedFormat format =
                            EmbeddedFormat.valueOf(info.config().format().name());
                    MediaType type = HttpSupport.negotiate(read.accept(), offered(format));
                    long wait = read.timeoutMs() != null
                            ? read.timeoutMs()
                            : info.config().requestTimeoutMs();
                    GroupReadRequest request = new GroupReadRequest(
                            read.group(), read.instance(), wait, read.maxBytes(), read.maxRecords());
                    if (type.equals(SluiceMediaTypes.BATCHES)) {
                        return Mono.fromFuture(() -> reads.readBatches(request), false)
                                .map(result -> batches(info, result))
                                // a read that completes after a cancellation (client gone) gives its buffers back
                                .doOnDiscard(GroupBatchesResult.class, GroupBatchesResult::release);
                    }
                    // rendered on the thread that completes the read (a storage thread), not on the event loop
                    return Mono.fromFuture(() -> reads.read(request), false)
                            .map(result -> new Answer(
                                    HttpStatus.OK,
                                    type,
                                    info.leaseMs(),
                                    result.generation(),
                                    resets(result.resets()),
                                    RecordsJsonWriter.render(result.partitions(), format)));
                });
    }

    /**
     * READ on every topic the instance is assigned (checked on each read, so a pattern subscription or a revoked ACL
     * cannot read what the caller may not).
     */
    private Mono<Void> readableAssignment(ServerRequest request, String group, String id) {
        if (!access.isEnforcing()) {
            return Mono.empty();
        }
        return http.blocking(() -> Access.topicsOf(groups.assignment(group, id).partitions()))
                .flatMap(topics -> access.requireTopics(request, io.sluice.security.Operation.READ, topics));
    }

    /** The batches framed per partition ({@link GroupBatchesBody}); 204 when there are none. */
    private static Answer batches(InstanceInfo info, GroupBatchesResult result) {
        if (result.isEmpty()) {
            return new Answer(
                    HttpStatus.NO_CONTENT, null, info.leaseMs(), result.generation(), resets(result.resets()), null);
        }
        return new Answer(
                HttpStatus.OK,
                SluiceMediaTypes.BATCHES,
                info.leaseMs(),
                result.generation(),
                resets(result.resets()),
                GroupBatchesBody.of(result));
    }

    /** The {@value #RESET_HEADER} header's value, null when no position was reset. */
    private static String resets(List<PositionReset> resets) {
        if (resets.isEmpty()) {
            return null;
        }
        return resets.stream()
                .map(r -> r.partition().topic() + ":" + r.partition().partition() + " from=" + r.from() + " to="
                        + r.to() + " policy=" + r.policy().configValue() + " reason="
                        + r.reason().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /**
     * The media types an answer in {@code format} may carry, preferred first; the stored batches in any format (the
     * embedded format only says how JSON shows keys and values).
     */
    private static List<MediaType> offered(EmbeddedFormat format) {
        return switch (format) {
            case JSON ->
                List.of(
                        MediaType.APPLICATION_JSON,
                        SluiceMediaTypes.KAFKA_JSON,
                        SluiceMediaTypes.KAFKA_V2,
                        SluiceMediaTypes.BATCHES);
            case BINARY -> List.of(SluiceMediaTypes.KAFKA_BINARY, MediaType.APPLICATION_JSON, SluiceMediaTypes.BATCHES);
            case TEXT -> List.of(SluiceMediaTypes.SLUICE_TEXT, MediaType.APPLICATION_JSON, SluiceMediaTypes.BATCHES);
        };
    }
}
