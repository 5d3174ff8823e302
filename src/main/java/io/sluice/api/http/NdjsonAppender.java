package io.sluice.api.http;

import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceRequest;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducedOffsets;
import io.sluice.produce.RecordOffset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * The blocking half of an NDJSON produce stream ({@link NdjsonProduce}): appends the lines of the groups it is given
 * and returns their answer lines, one per non-blank line in order, {@code {"partition","offset"}} or {@code
 * {"error_code","message"}}, as one buffer.
 *
 * <p>All the lines of one call go into one {@link ProduceRequest} (one batch per partition, one append), read by one
 * streaming parser per group; a line that parser cannot take is parsed as a tree, which names its error or reads its
 * rare shape, and the parser resumes after it. A failed line never stops the others. With an idempotency key every
 * line is its own request {@code <key>/<n>} (n counted from 0, blank lines included), so replaying a stream writes
 * nothing twice.
 *
 * <p>One instance per stream. Calls must not overlap (the stream runs one storage task at a time); not thread-safe.
 */
final class NdjsonAppender {

    private final ProduceService produce;
    private final HttpSupport http;
    private final ProduceBodies bodies;
    private final ProduceBodyReader reader;
    private final String topic;
    private final OptionalInt partition;
    private final Optional<String> idempotencyKey;

    NdjsonAppender(
            ProduceService produce,
            HttpSupport http,
            ProduceBodies bodies,
            String topic,
            OptionalInt partition,
            Optional<String> idempotencyKey) {
        this.produce = produce;
        this.http = http;
        this.bodies = bodies;
        this.reader = new ProduceBodyReader(http.mapper());
        this.topic = topic;
        this.partition = partition;
        this.idempotencyKey = idempotencyKey;
    }

    /** Appends the lines of {@code groups}, in order; their answer lines (none for blank lines). */
    byte[] append(List<NdjsonLines.Group> groups) {
        int lines = 0;
        for (NdjsonLines.Group group : groups) {
            lines += group.count();
        }
        ByteSink out = new ByteSink(32 * lines + 64); // room for the usual {"partition":p,"offset":o} lines
        if (idempotencyKey.isPresent()) {
            for (NdjsonLines.Group group : groups) {
                appendOneByOne(group, idempotencyKey.get(), out);
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
        int[][] recordsOf = new int[groups.size()][];
        SluiceException[][] failuresOf = new SluiceException[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            NdjsonLines.Group group = groups.get(g);
            recordsOf[g] = new int[group.count()];
            failuresOf[g] = new SluiceException[group.count()];
            read(group, target, openFailure, recordsOf[g], failuresOf[g]);
        }
        ProducedOffsets offsets = target != null && target.count() > 0 ? target.append(false) : null;
        for (int g = 0; g < groups.size(); g++) {
            answer(recordsOf[g], failuresOf[g], offsets, out);
        }
        return out.toByteArray();
    }

    /**
     * Adds the group's lines to the request: the streaming reader takes runs of lines, the tree each line it stops at.
     * {@code recordOf[i]} becomes the index of line i's record, -1 for a blank line, or -2 with its error in {@code
     * failures[i]}.
     */
    private void read(
            NdjsonLines.Group group,
            ProduceRequest target,
            SluiceException openFailure,
            int[] recordOf,
            SluiceException[] failures) {
        int i = 0;
        while (i < group.count()) {
            if (target != null) {
                i = reader.readLines(group.data(), group.starts(), group.ends(), i, group.count(), target, recordOf);
            }
            if (i < group.count()) {
                recordOf[i] = readTree(group, i, target, openFailure, failures);
                i++;
            }
        }
    }

    /** Line {@code i} as the tree reads it: its record's index, -1 if blank, -2 with its error in {@code failures}. */
    private int readTree(
            NdjsonLines.Group group,
            int i,
            ProduceRequest target,
            SluiceException openFailure,
            SluiceException[] failures) {
        String line = line(group, i);
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

    /** With an idempotency key every line is its own request, {@code <key>/<line>}, appended in order. */
    private void appendOneByOne(NdjsonLines.Group group, String key, ByteSink out) {
        for (int i = 0; i < group.count(); i++) {
            String line = line(group, i);
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

    private static String line(NdjsonLines.Group group, int i) {
        int start = group.starts()[i];
        return new String(group.data(), start, group.ends()[i] - start, StandardCharsets.UTF_8);
    }

    private ProduceRecord parseRecord(long lineNumber, String line) {
        String where = "line " + lineNumber;
        return bodies.parseRecord(parseLine(where, line), EmbeddedFormat.JSON, where);
    }

    private JsonNode parseLine(String where, String line) {
        try {
            return http.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (SluiceException e) {
            throw new SluiceException(e.errorCode(), where + ": " + e.getMessage());
        }
    }

    /** {@code {"error_code","message"}} and a newline. */
    byte[] errorLine(SluiceException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", e.errorCode().code());
        body.put("message", e.getMessage());
        ByteSink line = new ByteSink(128);
        line.write(http.mapper().writeValueAsBytes(body));
        line.write('\n');
        return line.toByteArray();
    }
}
