package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceRequest;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducedOffsets;
import io.sluice.produce.RecordOffset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Streaming produce: an {@code application/x-ndjson} body of one JSON record per line ({@code
 * {"key","value","partition","headers","timestamp"}}, json format) answered by one NDJSON line per record, in order,
 * while the request is still streaming. A line's answer is {@code {"partition","offset"}} or {@code
 * {"error_code","message"}}; a bad line does not stop the stream. Blank lines are skipped. With an {@code
 * Idempotency-Key}, line n (counted from 0, blank lines included) is produced with the key {@code <key>/<n>}, so
 * replaying the whole stream writes nothing twice.
 *
 * <p>The lines that have arrived are produced together: every network chunk's complete lines (see {@link
 * NdjsonLines}) are queued, and one storage task at a time reads all that is queued straight into one {@link
 * ProduceRequest} (one batch per partition), appends it and writes and flushes the answers together; what arrives
 * while it runs goes into the next task. Nothing waits for more input than has arrived. Lines with an
 * idempotency key are still appended one batch each, as each is its own idempotent request.
 */
final class NdjsonProduce {

    private final ProduceService produce;
    private final HttpSupport http;
    private final ProduceBodies bodies;

    NdjsonProduce(ProduceService produce, HttpSupport http, ProduceBodies bodies) {
        this.produce = produce;
        this.http = http;
        this.bodies = bodies;
    }

    Mono<ServerResponse> produce(
            ServerRequest request, String topic, OptionalInt partition, Optional<String> idempotencyKey) {
        NdjsonLines lines = new NdjsonLines(http.maxRequestBytes());
        ProduceBodyReader reader = new ProduceBodyReader(http.mapper());
        Flux<NdjsonLines.Group> groups = request.body(BodyExtractors.toDataBuffers())
                .<NdjsonLines.Group>handle(lines::accept)
                .concatWith(Mono.fromSupplier(lines::finish))
                .timeout(http.bodyTimeout(), HttpSupport.TIMER);
        // Each group is queued as it arrives and its signal starts one storage task, one at a time; a task takes every
        // group queued by then, so what arrived while the previous append ran goes out in one append.
        Queue<NdjsonLines.Group> arrived = new ConcurrentLinkedQueue<>();
        Flux<byte[]> answers = groups.doOnNext(arrived::add)
                .concatMap(signal ->
                        http.blocking(() -> produceArrived(arrived, reader, topic, partition, idempotencyKey)))
                .filter(answer -> answer.length > 0)
                .onErrorResume(e -> Mono.just(errorLine(streamError(e))));
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_NDJSON)
                .body((message, context) -> message.writeAndFlushWith(
                        answers.map(bytes -> Mono.just(message.bufferFactory().wrap(bytes)))));
    }

    /** Produces the lines of every group queued so far; their answer lines, in order. */
    private byte[] produceArrived(
            Queue<NdjsonLines.Group> arrived,
            ProduceBodyReader reader,
            String topic,
            OptionalInt partition,
            Optional<String> idempotencyKey) {
        List<NdjsonLines.Group> groups = new ArrayList<>();
        for (NdjsonLines.Group group = arrived.poll(); group != null; group = arrived.poll()) {
            groups.add(group);
        }
        if (groups.isEmpty()) {
            return new byte[0];
        }
        ByteSink out = new ByteSink(1024);
        if (idempotencyKey.isPresent()) {
            for (NdjsonLines.Group group : groups) {
                produceOneByOne(group, topic, partition, idempotencyKey.get(), out);
            }
            return out.toByteArray();
        }
        ProduceRequest target = null;
        SluiceException openFailure = null;
        try {
            target = produce.open(topic, partition, Optional.empty());
        } catch (SluiceException e) {
            openFailure = e;
        }
        List<int[]> recordsOf = new ArrayList<>(groups.size());
        List<SluiceException[]> failuresOf = new ArrayList<>(groups.size());
        for (NdjsonLines.Group group : groups) {
            int[] recordOf = new int[group.count()];
            SluiceException[] failures = new SluiceException[group.count()];
            for (int i = 0; i < group.count(); i++) {
                recordOf[i] = read(group, i, reader, target, openFailure, failures);
            }
            recordsOf.add(recordOf);
            failuresOf.add(failures);
        }
        ProducedOffsets offsets = target != null && target.count() > 0 ? target.append(false) : null;
        for (int g = 0; g < groups.size(); g++) {
            answer(recordsOf.get(g), failuresOf.get(g), offsets, out);
        }
        return out.toByteArray();
    }

    /** The answer lines of one group's lines: their offsets, their errors; nothing for blank lines. */
    private void answer(int[] recordOf, SluiceException[] failures, ProducedOffsets offsets, ByteSink out) {
        for (int i = 0; i < recordOf.length; i++) {
            if (failures[i] != null) {
                out.write(errorLine(failures[i]));
            } else if (recordOf[i] >= 0) {
                SluiceException failed = offsets.failure(recordOf[i]);
                if (failed != null) {
                    out.write(errorLine(failed));
                } else {
                    ProduceAnswers.position(out, offsets.partition(recordOf[i]), offsets.offset(recordOf[i]))
                            .write('\n');
                }
            }
        }
    }

    /**
     * Adds line {@code i} to the request; the index of its record, -1 for a blank line, or -2 with its error in {@code
     * failures}. Lines the streaming reader cannot take are parsed as a tree, which names their error.
     */
    private int read(
            NdjsonLines.Group group,
            int i,
            ProduceBodyReader reader,
            ProduceRequest target,
            SluiceException openFailure,
            SluiceException[] failures) {
        int start = group.starts()[i];
        int length = group.ends()[i] - start;
        if (asciiBlank(group.data(), start, length)) {
            return -1;
        }
        if (target != null && reader.readLine(group.data(), start, length, target)) {
            return target.count() - 1;
        }
        String line = new String(group.data(), start, length, StandardCharsets.UTF_8);
        if (line.isBlank()) {
            return -1;
        }
        try {
            ProduceRecord record = parseRecord(group.firstLine() + i, line);
            if (target == null) {
                throw openFailure;
            }
            target.add(record);
            return target.count() - 1;
        } catch (SluiceException e) {
            failures[i] = e;
            return -2;
        }
    }

    /** With an idempotency key every line is its own request, {@code <key>/<line>}, appended in order. */
    private void produceOneByOne(
            NdjsonLines.Group group, String topic, OptionalInt partition, String key, ByteSink out) {
        for (int i = 0; i < group.count(); i++) {
            String line = new String(
                    group.data(), group.starts()[i], group.ends()[i] - group.starts()[i], StandardCharsets.UTF_8);
            if (line.isBlank()) {
                continue;
            }
            long lineNumber = group.firstLine() + i;
            try {
                ProduceRecord record = parseRecord(lineNumber, line);
                RecordOffset offset = produce.produce(
                                topic, partition, List.of(record), Optional.of(key + "/" + lineNumber))
                        .get(0);
                ProduceAnswers.position(out, offset.partition(), offset.offset())
                        .write('\n');
            } catch (SluiceException e) {
                out.write(errorLine(e));
            }
        }
    }

    private ProduceRecord parseRecord(long lineNumber, String line) {
        String where = "line " + lineNumber;
        return bodies.parseRecord(parseLine(where, line), EmbeddedFormat.JSON, where);
    }

    /** Whether the slice is only ASCII whitespace (what {@link String#isBlank()} says for ASCII text). */
    private static boolean asciiBlank(byte[] data, int start, int length) {
        for (int i = start; i < start + length; i++) {
            byte b = data[i];
            if (b != ' ' && (b < 0x09 || b > 0x0d) && (b < 0x1c || b > 0x1f)) {
                return false;
            }
        }
        return true;
    }

    private JsonNode parseLine(String where, String line) {
        try {
            return http.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (SluiceException e) {
            throw new SluiceException(e.errorCode(), where + ": " + e.getMessage());
        }
    }

    private byte[] errorLine(SluiceException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", e.errorCode().code());
        body.put("message", e.getMessage());
        return withNewline(http.mapper().writeValueAsBytes(body));
    }

    private SluiceException streamError(Throwable e) {
        if (e instanceof TimeoutException) {
            return http.bodyTimedOut();
        }
        if (e instanceof DataBufferLimitException) {
            return new SluiceException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "an NDJSON line is longer than " + http.maxRequestBytes() + " bytes; the stream was stopped");
        }
        return e instanceof SluiceException s
                ? s
                : new SluiceException(ErrorCode.MALFORMED_REQUEST, "the stream failed: " + e.getMessage());
    }

    private static byte[] withNewline(byte[] json) {
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }
}
