package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.fetch.GroupBatchesResult;
import io.sluice.fetch.GroupFetchService;
import io.sluice.fetch.GroupReadRequest;
import io.sluice.fetch.GroupReadResult;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.InstanceInfo;
import io.sluice.group.PositionReset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

    Mono<ServerResponse> read(ServerRequest request) {
        String group = request.pathVariable("group");
        String id = request.pathVariable("instance");
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, http.longParam(request, "max_bytes", defaults.maxBytes()));
        int maxRecords =
                (int) Math.min(defaults.maxRecords(), http.longParam(request, "max_records", defaults.maxRecords()));
        Long timeout = http.optionalLong(request, "timeout").orElse(null);
        if (maxBytes < 1 || maxRecords < 1 || (timeout != null && timeout < 0)) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "max_bytes and max_records must be >= 1, timeout >= 0");
        }
        // the instance first: 40403 before anything else, and its format decides the answer's media type
        return http.blocking(() -> groups.instance(group, id))
                .flatMap(info -> readableAssignment(request, group, id).thenReturn(info))
                .flatMap(info -> {
                    EmbeddedFormat format =
                            EmbeddedFormat.valueOf(info.config().format().name());
                    MediaType type = HttpSupport.negotiate(request, offered(format));
                    long wait = timeout != null ? timeout : info.config().requestTimeoutMs();
                    GroupReadRequest read = new GroupReadRequest(group, id, wait, maxBytes, maxRecords);
                    if (type.equals(SluiceMediaTypes.BATCHES)) {
                        return Mono.fromFuture(() -> reads.readBatches(read), false)
                                .flatMap(result -> batches(info, result))
                                // an answer or body dropped by a cancellation (client gone) gives its buffers back
                                .doOnDiscard(GroupBatchesResult.class, GroupBatchesResult::release)
                                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
                    }
                    return Mono.fromFuture(() -> reads.read(read), false)
                            .flatMap(result -> answer(info, format, type, result));
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

    private Mono<ServerResponse> answer(
            InstanceInfo info, EmbeddedFormat format, MediaType type, GroupReadResult result) {
        DataBuffer records = RecordsJsonWriter.render(result.partitions(), format);
        return headers(HttpStatus.OK, info, result.generation(), result.resets())
                .contentType(type)
                .bodyValue(records);
    }

    /** The batches framed per partition ({@link GroupBatchesBody}); 204 when there are none. */
    private Mono<ServerResponse> batches(InstanceInfo info, GroupBatchesResult result) {
        if (result.isEmpty()) {
            return headers(HttpStatus.NO_CONTENT, info, result.generation(), result.resets())
                    .build();
        }
        return headers(HttpStatus.OK, info, result.generation(), result.resets())
                .contentType(SluiceMediaTypes.BATCHES)
                .bodyValue(GroupBatchesBody.of(result));
    }

    private static ServerResponse.BodyBuilder headers(
            HttpStatus status, InstanceInfo info, int generation, List<PositionReset> resets) {
        ServerResponse.BodyBuilder response = ServerResponse.status(status)
                .header(ConsumerApi.LEASE_HEADER, Long.toString(info.leaseMs()))
                .header(GENERATION_HEADER, Integer.toString(generation));
        if (!resets.isEmpty()) {
            response.header(RESET_HEADER, resets(resets));
        }
        return response;
    }

    static String resets(List<PositionReset> resets) {
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
