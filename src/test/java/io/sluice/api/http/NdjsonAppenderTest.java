package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRequest;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducedOffsets;
import io.sluice.topic.ServicesFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.SynchronousSink;
import reactor.util.context.Context;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * NDJSON streams against the tree reading of each line on seeded random bodies: whatever the mix of good, bad, blank
 * and odd lines and however the body is chunked, the appender answers and stores exactly what reading every line as a
 * tree gives; and the streaming reader takes every plain line itself, with one parser for a run of lines.
 */
class NdjsonAppenderTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    static IntStream seeds() {
        return IntStream.range(0, 8);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void streamsAnswerAndStoreWhatTheTreeReadingOfEachLineGives(int seed) {
        Random random = new Random(seed);
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("tree", PARTITIONS, 1, Map.of());
            f.topics.create("stream", PARTITIONS, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            HttpSupport http = new HttpSupport(MAPPER, null, 1 << 20, Duration.ofSeconds(1));
            ProduceBodies bodies = new ProduceBodies(MAPPER);
            for (int round = 0; round < 10; round++) {
                String body = randomStream(random, new ProduceBodyReaderTest.RandomBodies(random, EmbeddedFormat.JSON));
                List<String> lines = new ArrayList<>(List.of(body.split("\n", -1)));
                lines.remove(lines.size() - 1); // the body ends with a newline
                NdjsonAppender appender =
                        new NdjsonAppender(produce, http, bodies, "stream", OptionalInt.empty(), Optional.empty());

                byte[] answers = appender.append(chunked(body, random));

                String context = "seed " + seed + " round " + round + ": " + body;
                assertThat(new String(answers, StandardCharsets.UTF_8))
                        .as(context)
                        .isEqualTo(treeAnswers(produce, http, bodies, lines));
                for (int p = 0; p < PARTITIONS; p++) {
                    assertThat(ProduceBodyReaderTest.describe(ProduceBodyReaderTest.stored(f, "stream", p)))
                            .as(context)
                            .isEqualTo(ProduceBodyReaderTest.describe(ProduceBodyReaderTest.stored(f, "tree", p)));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStreamingReaderTakesEveryPlainLineWithOneParser(int seed) {
        Random random = new Random(seed);
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", PARTITIONS, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            ProduceBodyReaderTest.RandomBodies bodies =
                    new ProduceBodyReaderTest.RandomBodies(random, EmbeddedFormat.JSON);
            StringBuilder body = new StringBuilder("{\"x\":1}\n"); // line 0, before the run read
            List<Boolean> blank = new ArrayList<>();
            while (blank.size() < 50) {
                String text = random.nextInt(5) == 0 ? List.of("", " ", "\t ").get(random.nextInt(3)) : bodies.record();
                if (!text.isBlank() && !(bodies.plain() && text.chars().allMatch(c -> c >= 0x20 && c < 0x80))) {
                    continue; // not a plain one-line ASCII record
                }
                blank.add(text.isBlank());
                body.append(text).append(List.of("\n", "\r\n", " \r\n").get(random.nextInt(3)));
            }
            body.append("{\"value\":\"the rest of a line still arriving\"");
            NdjsonLines.Group group = oneChunk(body.toString());
            ProduceRequest request = produce.open("t", OptionalInt.empty(), Optional.empty());
            int[] recordOf = new int[group.count()];

            int stoppedAt = new ProduceBodyReader(MAPPER)
                    .readLines(group.data(), group.starts(), group.ends(), 1, group.count(), request, recordOf);

            assertThat(stoppedAt).as(body.toString()).isEqualTo(group.count()).isEqualTo(51);
            int records = 0;
            for (int i = 1; i < group.count(); i++) {
                assertThat(recordOf[i]).as("line " + i).isEqualTo(blank.get(i - 1) ? -1 : records++);
            }
            assertThat(request.count()).isEqualTo(records);
        }
    }

    /**
     * An NDJSON body of 60 lines: plain and malformed records, blank lines (JSON whitespace and other), two records on
     * one line, trailing text, records spread over lines, a lone carriage return between records; {@code \n} or
     * {@code \r\n} line ends.
     */
    static String randomStream(Random random, ProduceBodyReaderTest.RandomBodies bodies) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String line = switch (random.nextInt(12)) {
                case 0 -> bodies.malformedRecord();
                case 1 -> List.of("", "  ", "\r", "\u000b", " \u001c").get(random.nextInt(5));
                case 2 -> bodies.record() + " " + bodies.record();
                case 3 -> bodies.record() + " x";
                case 4 -> "{\"value\":\n" + random.nextInt(9) + "}";
                case 5 -> "{\"value\":1}\r{\"value\":2}";
                default -> bodies.record();
            };
            body.append(line).append(random.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        return body.toString();
    }

    private static String oneLine(String record) {
        return record.replace('\n', ' ');
    }

    /** The groups NdjsonLines makes of the body cut into random chunks. */
    static List<NdjsonLines.Group> chunked(String body, Random random) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        NdjsonLines lines = new NdjsonLines(1 << 20);
        List<NdjsonLines.Group> groups = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int size = Math.min(bytes.length - at, random.nextBoolean() ? bytes.length : 1 + random.nextInt(300));
            lines.accept(
                    DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(bytes, at, at + size)),
                    new CollectingSink(groups));
            at += size;
        }
        NdjsonLines.Group last = lines.finish();
        if (last != null) {
            groups.add(last);
        }
        return groups;
    }

    private static NdjsonLines.Group oneChunk(String body) {
        List<NdjsonLines.Group> groups = new ArrayList<>();
        new NdjsonLines(1 << 20)
                .accept(
                        DefaultDataBufferFactory.sharedInstance.wrap(body.getBytes(StandardCharsets.UTF_8)),
                        new CollectingSink(groups));
        assertThat(groups).hasSize(1);
        return groups.get(0);
    }

    /**
     * What a stream answers when every line is read as a tree, all lines in one request: an error line for each line
     * the tree or the request refuses, an offset line for each record, nothing for blank lines.
     */
    private static String treeAnswers(
            ProduceService produce, HttpSupport http, ProduceBodies bodies, List<String> lines) {
        ProduceRequest request = produce.open("tree", OptionalInt.empty(), Optional.empty());
        Object[] outcome = new Object[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = "line " + i;
            try {
                JsonNode tree;
                try {
                    tree = http.parse(lines.get(i).getBytes(StandardCharsets.UTF_8));
                } catch (SluiceException e) {
                    throw new SluiceException(e.errorCode(), where + ": " + e.getMessage());
                }
                request.add(bodies.parseRecord(tree, EmbeddedFormat.JSON, where));
                outcome[i] = request.count() - 1;
            } catch (SluiceException e) {
                outcome[i] = e;
            }
        }
        ProducedOffsets offsets = request.count() > 0 ? request.append(false) : null;
        StringBuilder answers = new StringBuilder();
        for (Object o : outcome) {
            if (o instanceof SluiceException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("error_code", e.errorCode().code());
                error.put("message", e.getMessage());
                // the same error as the stream's, for the other topic
                answers.append(MAPPER.writeValueAsString(error).replace("'tree'", "'stream'"))
                        .append('\n');
            } else if (o instanceof Integer r) {
                answers.append("{\"partition\":")
                        .append(offsets.partition(r))
                        .append(",\"offset\":")
                        .append(offsets.offset(r))
                        .append("}\n");
            }
        }
        return answers.toString();
    }

    /** Collects what {@link NdjsonLines#accept} emits; an error fails the test. */
    private record CollectingSink(List<NdjsonLines.Group> groups) implements SynchronousSink<NdjsonLines.Group> {
        @Override
        public void next(NdjsonLines.Group group) {
            groups.add(group);
        }

        @Override
        public void complete() {}

        @Override
        public void error(Throwable e) {
            throw new AssertionError(e);
        }

        @Override
        public Context currentContext() {
            return Context.empty();
        }

        @Override
        public ContextView contextView() {
            return Context.empty();
        }
    }
}
