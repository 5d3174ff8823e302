package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.stream.CursorEvent;
import io.sluice.stream.LogAccess;
import io.sluice.stream.PositionToken;
import io.sluice.stream.StartSpec;
import io.sluice.stream.StreamRecord;
import io.sluice.stream.TopicCursor;
import io.sluice.stream.TopicCursors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;

/**
 * The HTTP streams. {@code GET /topics/{topic}/events}: every partition as Server-Sent Events, each record's event id
 * being the position token after it, so {@code Last-Event-ID} or {@code ?token=} resumes exactly. {@code GET
 * .../partitions/{p}/records?follow=true}: one partition as NDJSON that stays open. Both read at the client's pace
 * (see {@link CursorFlux}) and send a keep-alive when idle; the start position is resolved on the storage scheduler.
 */
final class TopicEventsHandler {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final LogAccess logs;
    private final ObjectMapper mapper;
    private final Scheduler storageScheduler;
    private final LiveStreamSettings settings;
    private final StreamGuards guards;

    TopicEventsHandler(
            LogAccess logs,
            ObjectMapper mapper,
            Scheduler storageScheduler,
            LiveStreamSettings settings,
            StreamGuards guards) {
        this.logs = logs;
        this.mapper = mapper;
        this.storageScheduler = storageScheduler;
        this.settings = settings;
        this.guards = guards;
    }

    Mono<ServerResponse> events(ServerRequest request) {
        String topic = request.pathVariable("topic");
        StreamFormat format = StreamFormat.parse(request.queryParam("format").orElse(null));
        StartSpec spec = startSpec(request);
        return guard(request)
                .flatMap(guard -> openCursor(topic, Optional.empty(), spec)
                        .flatMap(cursor -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_EVENT_STREAM)
                                .header("Cache-Control", "no-cache")
                                .header("X-Accel-Buffering", "no")
                                .body(BodyInserters.fromServerSentEvents(
                                        GuardedStream.of(guard, topic, sse(cursor, format), this::errorEvent)))));
    }

    Mono<ServerResponse> follow(ServerRequest request) {
        String topic = request.pathVariable("topic");
        int partition = partition(request);
        StreamFormat format = StreamFormat.parse(request.queryParam("format").orElse(null));
        StartSpec spec = request.queryParam("offset")
                .map(offset -> (StartSpec)
                        new StartSpec.AtOffsets(Map.of(partition, number(offset, "offset")), new StartSpec.Latest()))
                .orElse(new StartSpec.Latest());
        return guard(request)
                .flatMap(guard -> openCursor(topic, Optional.of(partition), spec)
                        .flatMap(cursor -> ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_NDJSON)
                                .header("Cache-Control", "no-cache")
                                .header("X-Accel-Buffering", "no")
                                .body((message, context) -> message.writeAndFlushWith(
                                        GuardedStream.of(guard, topic, ndjson(cursor, format), this::errorLine)
                                                .map(line -> Mono.just(
                                                        message.bufferFactory().wrap(line)))))));
    }

    private Mono<StreamGuard> guard(ServerRequest request) {
        String remote =
                request.remoteAddress().map(address -> address.getHostString()).orElse("-");
        return guards.guard(request.principal(), remote);
    }

    /** The last event of a stream that security ended: {@code event: error}, data in the API's error shape. */
    private ServerSentEvent<String> errorEvent(SluiceException error) {
        return ServerSentEvent.<String>builder()
                .event("error")
                .data(mapper.writeValueAsString(errorBody(error)))
                .build();
    }

    private byte[] errorLine(SluiceException error) {
        return withNewline(mapper.writeValueAsBytes(errorBody(error)));
    }

    private static Map<String, Object> errorBody(SluiceException error) {
        return Map.of("error_code", error.errorCode().code(), "message", error.getMessage());
    }

    private Flux<ServerSentEvent<String>> sse(TopicCursor cursor, StreamFormat format) {
        Flux<ServerSentEvent<String>> events =
                CursorFlux.events(cursor).concatMapIterable(event -> toSse(event, format));
        return Flux.just(ServerSentEvent.<String>builder()
                        .comment("sluice stream " + cursor.topic())
                        .build())
                .concatWith(events);
    }

    private List<ServerSentEvent<String>> toSse(CursorEvent event, StreamFormat format) {
        if (event instanceof CursorEvent.Records records) {
            TreeMap<Integer, Long> position = new TreeMap<>(records.token().nextOffsets());
            return records.records().stream()
                    .map(record -> {
                        position.put(record.partition(), record.offset() + 1);
                        return ServerSentEvent.<String>builder()
                                .id(PositionToken.of(position).toString())
                                .event("record")
                                .data(mapper.writeValueAsString(format.toJson(record, mapper)))
                                .build();
                    })
                    .toList();
        }
        if (event instanceof CursorEvent.CaughtUp caughtUp) {
            String token = caughtUp.token().toString();
            return List.of(ServerSentEvent.<String>builder()
                    .id(token)
                    .event("caught_up")
                    .data(mapper.writeValueAsString(Map.of("token", token)))
                    .build());
        }
        return List.of(ServerSentEvent.<String>builder().comment("keep-alive").build());
    }

    private Flux<byte[]> ndjson(TopicCursor cursor, StreamFormat format) {
        return CursorFlux.events(cursor).concatMapIterable(event -> {
            if (event instanceof CursorEvent.Records records) {
                return records.records().stream()
                        .map(record -> line(record, format))
                        .toList();
            }
            return event instanceof CursorEvent.Idle ? List.of(new byte[] {'\n'}) : List.<byte[]>of();
        });
    }

    private byte[] line(StreamRecord record, StreamFormat format) {
        return withNewline(mapper.writeValueAsBytes(format.toJson(record, mapper)));
    }

    private static byte[] withNewline(byte[] json) {
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private Mono<TopicCursor> openCursor(String topic, Optional<Integer> onlyPartition, StartSpec spec) {
        TopicCursors.Limits limits = new TopicCursors.Limits(
                settings.maxBatchRecords(),
                settings.maxBatchBytes(),
                settings.keepAlive().toMillis(),
                null);
        return Mono.fromCallable(() -> TopicCursors.open(
                        logs, topic, onlyPartition.map(List::of).orElse(null), spec, limits))
                .subscribeOn(storageScheduler);
    }

    private static StartSpec startSpec(ServerRequest request) {
        Optional<String> token = Optional.ofNullable(request.headers().firstHeader(LAST_EVENT_ID))
                .filter(id -> !id.isBlank())
                .or(() -> request.queryParam("token"));
        if (token.isPresent()) {
            return StartSpec.resume(PositionToken.parse(token.get()));
        }
        String from = request.queryParam("from").orElse("latest");
        return switch (from) {
            case "earliest" -> new StartSpec.Earliest();
            case "latest" -> new StartSpec.Latest();
            case "timestamp" ->
                new StartSpec.AtTimestamp(number(
                        request.queryParam("timestamp")
                                .orElseThrow(() -> new SluiceException(
                                        ErrorCode.INVALID_REQUEST, "from=timestamp needs a timestamp parameter")),
                        "timestamp"));
            default ->
                throw new SluiceException(
                        ErrorCode.INVALID_VALUE, "from must be earliest, latest or timestamp, got '" + from + "'");
        };
    }

    private static int partition(ServerRequest request) {
        long partition = number(request.pathVariable("partition"), "partition");
        if (partition > Integer.MAX_VALUE) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "partition out of range");
        }
        return (int) partition;
    }

    static long number(String text, String name) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SluiceException(
                ErrorCode.INVALID_VALUE, name + " must be a non-negative integer, got '" + text + "'");
    }
}
