package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceRequest;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducedOffsets;
import io.sluice.produce.RecordOffset;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import io.sluice.topic.ServicesFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming reader against the tree path it replaced, on seeded random bodies: every body it takes produces the
 * same records (bytes, partitions, offsets, timestamps, headers) as {@link ProduceBodies} + {@link
 * ProduceService#produce}; every plain valid body is taken; every malformed body is refused (so the tree path answers
 * it with its error) and the tree path does reject it.
 */
class ProduceBodyReaderTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    static IntStream seeds() {
        return IntStream.range(0, 8);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void validBodiesProduceWhatTheTreePathProduces(int seed) {
        Random random = new Random(seed);
        try (ServicesFixture f = new ServicesFixture(dir)) {
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            f.topics.create("tree", PARTITIONS, 1, Map.of());
            f.topics.create("stream", PARTITIONS, 1, Map.of());
            for (int round = 0; round < 25; round++) {
                EmbeddedFormat format = EmbeddedFormat.values()[random.nextInt(3)];
                RandomBodies bodies = new RandomBodies(random, format);
                String body = bodies.request();
                List<RecordOffset> expected =
                        produce.produce("tree", OptionalInt.empty(), treeRecords(body, format), Optional.empty());

                ProduceRequest request = produce.open("stream", OptionalInt.empty(), Optional.empty());
                boolean taken = new ProduceBodyReader(MAPPER)
                        .readRequest(body.getBytes(StandardCharsets.UTF_8), format, request);

                String context = "seed " + seed + " round " + round + " " + format + ": " + body;
                assertThat(taken || !bodies.plain()).as(context).isTrue();
                List<RecordOffset> actual = new ArrayList<>();
                if (taken) {
                    ProducedOffsets offsets = request.append(true);
                    for (int i = 0; i < offsets.count(); i++) {
                        actual.add(new RecordOffset(offsets.partition(i), offsets.offset(i)));
                    }
                } else { // what the handler does: the tree path, so that both topics stay in step
                    actual =
                            produce.produce("stream", OptionalInt.empty(), treeRecords(body, format), Optional.empty());
                }
                assertThat(actual).as(context).isEqualTo(expected);
                for (int p = 0; p < PARTITIONS; p++) {
                    assertThat(describe(stored(f, "stream", p))).as(context).isEqualTo(describe(stored(f, "tree", p)));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void malformedBodiesAreLeftToTheTreePathWhichRejectsThem(int seed) {
        Random random = new Random(seed);
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", PARTITIONS, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            for (int round = 0; round < 50; round++) {
                EmbeddedFormat format = EmbeddedFormat.values()[random.nextInt(3)];
                String body = new RandomBodies(random, format).malformedRequest();
                String context = "seed " + seed + " round " + round + " " + format + ": " + body;
                ProduceRequest request = produce.open("t", OptionalInt.empty(), Optional.empty());

                boolean taken = new ProduceBodyReader(MAPPER)
                        .readRequest(body.getBytes(StandardCharsets.UTF_8), format, request);

                assertThat(taken).as(context).isFalse();
                assertThatThrownBy(() ->
                                produce.produce("t", OptionalInt.empty(), treeRecords(body, format), Optional.empty()))
                        .as(context)
                        .isInstanceOf(SluiceException.class);
            }
        }
    }

    /**
     * Every buffer a read takes from Jackson's pool goes back by the read's end, the generator's too (made only for
     * values that need one), and the same reader makes a new generator for the next body that needs one.
     */
    @Test
    void eachReadReturnsItsBuffersAndTheNextReadsAlike() {
        CountingPool pool = new CountingPool();
        ObjectMapper mapper = JsonMapper.builder(
                        JsonFactory.builder().recyclerPool(pool).build())
                .build();
        try (ServicesFixture f = new ServicesFixture(dir)) {
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            f.topics.create("t", 1, 1, Map.of());
            ProduceBodyReader reader = new ProduceBodyReader(mapper);
            List<String> values = List.of("{\"a\": [1, 2.5]}", "\"tab\\there\"", "-7", "{\"b\": {\"c\": null}}");
            for (String value : values) {
                ProduceRequest request = produce.open("t", OptionalInt.empty(), Optional.empty());
                byte[] body = ("{\"records\":[{\"value\":" + value + "}]}").getBytes(StandardCharsets.UTF_8);

                assertThat(reader.readRequest(body, EmbeddedFormat.JSON, request))
                        .as(value)
                        .isTrue();
                assertThat(pool.taken).as(value).hasValue(0);
                request.append(true);
            }
            assertThat(stored(f, "t", 0).stream()
                            .map(r -> StandardCharsets.UTF_8.decode(r.value()).toString())
                            .toList())
                    .containsExactly("{\"a\":[1,2.5]}", "\"tab\\there\"", "-7", "{\"b\":{\"c\":null}}");
        }
    }

    /** Hands out new buffer recyclers and counts those not yet returned. */
    private static final class CountingPool implements RecyclerPool<BufferRecycler> {
        final AtomicInteger taken = new AtomicInteger();

        @Override
        public BufferRecycler acquirePooled() {
            taken.incrementAndGet();
            return new BufferRecycler();
        }

        @Override
        public void releasePooled(BufferRecycler recycler) {
            taken.decrementAndGet();
        }
    }

    private static List<ProduceRecord> treeRecords(String body, EmbeddedFormat format) {
        HttpSupport http = new HttpSupport(MAPPER, null, 1 << 20, java.time.Duration.ofSeconds(1));
        return new ProduceBodies(MAPPER).parseRequest(http.parse(body.getBytes(StandardCharsets.UTF_8)), format);
    }

    private static ProduceRecord treeRecord(String line) {
        HttpSupport http = new HttpSupport(MAPPER, null, 1 << 20, java.time.Duration.ofSeconds(1));
        return new ProduceBodies(MAPPER)
                .parseRecord(http.parse(line.getBytes(StandardCharsets.UTF_8)), EmbeddedFormat.JSON, "line 0");
    }

    static List<Record> stored(ServicesFixture f, String topic, int partition) {
        List<Record> records = new ArrayList<>();
        for (RecordBatch batch : RecordBatches.split(
                f.topics.log(topic, partition).read(0, 1 << 24).records().readFully())) {
            records.addAll(batch.records());
        }
        return records;
    }

    private static Record lastStored(ServicesFixture f, int partition) {
        List<Record> records = stored(f, "t", partition);
        return records.get(records.size() - 1);
    }

    static List<String> describe(List<Record> records) {
        return records.stream()
                .map(r -> r.offset() + "@" + r.timestamp() + " key=" + hex(bytes(r.key())) + " value="
                        + hex(bytes(r.value())) + " headers=" + r.headers())
                .toList();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : java.util.HexFormat.of().formatHex(bytes);
    }

    /** Random produce bodies in one embedded format; {@link #plain()} tells whether the last one was plain. */
    static final class RandomBodies {
        private final Random random;
        private final EmbeddedFormat format;
        private boolean plain;

        RandomBodies(Random random, EmbeddedFormat format) {
            this.random = random;
            this.format = format;
        }

        /** Whether everything since the last request()/record() call is of the shapes the reader always takes. */
        boolean plain() {
            return plain;
        }

        String request() {
            plain = true;
            StringBuilder body = new StringBuilder("{");
            if (random.nextInt(5) == 0) {
                plain = false;
                body.append("\"other\":").append(jsonValue(2)).append(',');
            }
            body.append(space())
                    .append("\"records\"")
                    .append(space())
                    .append(':')
                    .append(space())
                    .append('[');
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                body.append(i > 0 ? "," : "").append(space()).append(recordText());
            }
            return body.append(space()).append("]}").append(space()).toString();
        }

        String record() {
            plain = true;
            return recordText();
        }

        private String recordText() {
            List<String> fields = new ArrayList<>();
            if (random.nextInt(4) > 0) {
                fields.add(field("key", embedded()));
            }
            if (random.nextInt(6) > 0) {
                fields.add(field("value", embedded()));
            }
            if (random.nextInt(3) == 0) {
                fields.add(field("partition", random.nextInt(4) == 0 ? "null" : Integer.toString(random.nextInt(3))));
            }
            if (random.nextInt(3) == 0) {
                long timestamp = random.nextBoolean() ? random.nextInt(1000) : Math.abs(random.nextLong());
                fields.add(field("timestamp", random.nextInt(5) == 0 ? "null" : Long.toString(timestamp)));
            }
            if (random.nextInt(5) == 0) {
                fields.add(field("headers", headers()));
            }
            java.util.Collections.shuffle(fields, random);
            return "{" + String.join("," + space(), fields) + "}";
        }

        String malformedRequest() {
            String valid = request();
            return switch (random.nextInt(10)) {
                case 0 ->
                    valid.strip().substring(0, random.nextInt(valid.strip().length() - 1)); // not JSON
                case 1 -> "{\"records\":[]}";
                case 2 -> "{\"records\":" + record() + "}";
                case 3 -> "[" + valid + "]";
                case 4 -> "{\"records\":[" + record() + "," + malformedRecord() + "]}";
                case 5 -> "{\"records\":[" + malformedRecord() + "]}";
                case 6 -> "{\"records\":[" + record() + ",7]}";
                case 7 -> valid + " {}";
                case 8 -> "{\"records\":[" + record() + "]";
                default -> "{\"recs\":[" + record() + "]}";
            };
        }

        String malformedRecord() {
            String wrongType = format == EmbeddedFormat.JSON ? null : jsonNumber();
            return switch (random.nextInt(wrongType == null ? 9 : 10)) {
                case 0 -> "{\"value\":" + embedded() + ",\"color\":1}";
                case 1 -> "{\"partition\":-1}";
                case 2 -> "{\"partition\":\"0\"}";
                case 3 -> "{\"partition\":1.5}";
                case 4 -> "{\"timestamp\":-5,\"value\":" + embedded() + "}";
                case 5 -> "{\"partition\":99,\"value\":" + embedded() + "}";
                case 6 -> "{\"headers\":[{\"value\":\"x\"}]}";
                case 7 -> "{\"value\":" + embedded();
                case 8 -> "{\"timestamp\":" + "9".repeat(25) + "}";
                default -> "{\"key\":" + wrongType + "}";
            };
        }

        private String field(String name, String value) {
            return "\"" + name + "\"" + space() + ":" + space() + value;
        }

        private String embedded() {
            if (random.nextInt(8) == 0) {
                return "null";
            }
            return switch (format) {
                case JSON -> jsonValue(3);
                case BINARY -> base64();
                case TEXT -> quoted(text());
            };
        }

        private String base64() {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            String text = Base64.getEncoder().encodeToString(bytes);
            if (random.nextInt(5) == 0) {
                text = text.replace("=", ""); // unpadded: the JDK decoder accepts it
            }
            return quoted(text);
        }

        private String headers() {
            int count = random.nextInt(3);
            List<String> headers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = format == EmbeddedFormat.BINARY ? base64() : quoted(text());
                headers.add(
                        "{\"key\":" + quoted(text()) + ",\"value\":" + (random.nextInt(4) == 0 ? "null" : value) + "}");
            }
            return "[" + String.join(",", headers) + "]";
        }

        private String jsonValue(int depth) {
            int kind = random.nextInt(depth > 0 ? 9 : 6);
            return switch (kind) {
                case 0, 1 -> quoted(text());
                case 2 -> Integer.toString(random.nextInt());
                case 3 -> Long.toString(random.nextLong());
                case 4 -> random.nextBoolean() ? "true" : "false";
                case 5 -> jsonNumber();
                case 6 -> {
                    plain = false;
                    yield "{" + field("a", jsonValue(depth - 1)) + "," + field("a" + random.nextInt(2), jsonValue(0))
                            + "}";
                }
                case 7 -> {
                    plain = false;
                    yield "[" + jsonValue(depth - 1) + "," + space() + jsonValue(depth - 1) + "]";
                }
                default -> {
                    plain = false;
                    yield "123456789012345678901234567890";
                }
            };
        }

        private String jsonNumber() {
            plain = false;
            return switch (random.nextInt(4)) {
                case 0 -> "1.5e3";
                case 1 -> "-0.0";
                case 2 -> Double.toString(random.nextDouble());
                default -> "-0";
            };
        }

        private String text() {
            StringBuilder text = new StringBuilder();
            if (random.nextInt(3) == 0) { // plain: printable ASCII, no escapes (copied as it is)
                int length = random.nextInt(random.nextBoolean() ? 8 : 1200);
                for (int i = 0; i < length; i++) {
                    char c = (char) (0x20 + random.nextInt(0x60));
                    text.append(c == '"' || c == '\\' ? 'q' : c);
                }
                return text.toString();
            }
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                text.append(
                        switch (random.nextInt(12)) {
                            case 0 -> "\\n";
                            case 1 -> "\\\"";
                            case 2 -> "\\u00e9";
                            case 3 -> "é";
                            case 4 -> "\\/";
                            case 5 -> "\\u0001";
                            case 6 -> "😀";
                            default -> (char) ('a' + random.nextInt(26));
                        });
            }
            return text.toString();
        }

        private static String quoted(String text) {
            return "\"" + text + "\"";
        }

        private String space() {
            return switch (random.nextInt(6)) {
                case 0 -> " ";
                case 1 -> "\n\t ";
                default -> "";
            };
        }
    }
}
