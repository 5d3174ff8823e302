package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.fetch.FetchResult;
import io.sluice.fetch.FetchedRecord;
import io.sluice.fetch.StoredRecords;
import io.sluice.record.CompressionType;
import io.sluice.record.Header;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The streaming renderer against a tree-built oracle: for seeded random records in every embedded format, the
 * bytes it writes parse back (with a real JSON parser) to exactly the records, fields and values the tree rendering
 * gives.
 */
class RecordsJsonWriterTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static Stream<Arguments> seedsAndFormats() {
        return IntStream.range(0, 12)
                .boxed()
                .flatMap(seed -> Stream.of(EmbeddedFormat.values()).map(format -> Arguments.of(seed, format)));
    }

    @ParameterizedTest(name = "seed {0}, {1}")
    @MethodSource("seedsAndFormats")
    void randomRecordsParseBackToTheSameRecords(int seed, EmbeddedFormat format) {
        Random random = new Random(seed);
        List<FetchResult> results = new ArrayList<>();
        ArrayNode expectedTree = JsonNodeFactory.instance.arrayNode();
        for (int p = 0; p < 1 + random.nextInt(3); p++) {
            String topic = random.nextBoolean() ? "orders" : "t.a-b_c";
            List<FetchedRecord> records = randomRecords(random, format);
            results.add(result(topic, p, records));
            expectedTree.addAll(oracle(topic, p, records, format));
        }

        JsonNode rendered = MAPPER.readTree(bytes(RecordsJsonWriter.render(results, format)));

        // through text, so that number node types (int/long) compare as parsed
        JsonNode expected = MAPPER.readTree(MAPPER.writeValueAsBytes(expectedTree));
        assertThat(rendered).as("seed %d, %s", seed, format).isEqualTo(expected);
    }

    @Test
    void recordsReadIntoDirectMemoryRenderAsFromTheHeap() {
        List<FetchedRecord> records = randomRecords(new Random(7), EmbeddedFormat.BINARY);
        assertThat(records).hasSizeGreaterThan(10);
        FetchResult heap = result("t", 0, records);
        List<RecordBatch> direct = new ArrayList<>();
        for (var batch : heap.records().batches()) {
            ByteBuffer copy = ByteBuffer.allocateDirect(batch.batch().sizeInBytes());
            copy.put(batch.batch().buffer()).flip();
            direct.add(RecordBatch.wrap(copy));
        }
        FetchResult fromDirect =
                new FetchResult("t", 0, StoredRecords.of(direct, heap.records().from(), Integer.MAX_VALUE), 0, 0);

        assertThat(bytes(RecordsJsonWriter.render(List.of(fromDirect), EmbeddedFormat.BINARY)))
                .isEqualTo(bytes(RecordsJsonWriter.render(List.of(heap), EmbeddedFormat.BINARY)));
    }

    @Test
    void anEmptyReadIsAnEmptyArrayInMemoryEveryEmptyAnswerShares() {
        FetchResult empty = new FetchResult("t", 0, StoredRecords.NONE, 0, 0);
        DataBuffer first = RecordsJsonWriter.render(List.of(empty), EmbeddedFormat.JSON);
        DataBuffer second = RecordsJsonWriter.render(List.of(empty, empty), EmbeddedFormat.TEXT);
        DataBuffer none = RecordsJsonWriter.render(List.of(), EmbeddedFormat.BINARY);

        assertThat(memoryAddress(second)).isEqualTo(memoryAddress(first));
        assertThat(new String(bytes(first), StandardCharsets.UTF_8)).isEqualTo("[]");
        assertThat(new String(bytes(second), StandardCharsets.UTF_8))
                .as("after the first was read and released")
                .isEqualTo("[]");
        assertThat(new String(bytes(none), StandardCharsets.UTF_8)).isEqualTo("[]");
        assertThat(new String(
                        bytes(RecordsJsonWriter.render(List.of(empty), EmbeddedFormat.JSON)), StandardCharsets.UTF_8))
                .isEqualTo("[]");
    }

    private static long memoryAddress(DataBuffer buffer) {
        return ((NettyDataBuffer) buffer).getNativeBuffer().memoryAddress();
    }

    @ParameterizedTest(name = "{0} records")
    @MethodSource("largeAnswers")
    void answersLargerThanOnePooledBufferComeWholeAndInOrder(int count) {
        byte[] value = ("\"" + "v".repeat(1_000) + "\"").getBytes(StandardCharsets.UTF_8);
        List<FetchedRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record(i, null, value, List.of()));
        }

        JsonNode rendered =
                MAPPER.readTree(bytes(RecordsJsonWriter.render(List.of(result("t", 0, records)), EmbeddedFormat.JSON)));

        assertThat(rendered).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(rendered.get(i).get("offset").longValue()).isEqualTo(i);
            assertThat(rendered.get(i).get("value").stringValue()).hasSize(1_000);
        }
    }

    /** In one piece (512 KiB), in several, and in more than the text array a thread keeps (1 MiB) would hold. */
    static IntStream largeAnswers() {
        return IntStream.of(100, 1_000, 6_000);
    }

    @Test
    void aRecordLargerThanAPieceComesWholeBetweenItsNeighbours() {
        byte[] small = "\"s\"".getBytes(StandardCharsets.UTF_8);
        byte[] large = ("\"" + "L".repeat(3 << 20) + "\"").getBytes(StandardCharsets.UTF_8);
        List<FetchedRecord> records = List.of(
                record(0, null, small, List.of()),
                record(1, null, large, List.of()),
                record(2, null, small, List.of()));

        JsonNode rendered =
                MAPPER.readTree(bytes(RecordsJsonWriter.render(List.of(result("t", 0, records)), EmbeddedFormat.JSON)));

        assertThat(rendered).hasSize(3);
        assertThat(rendered.get(1).get("value").stringValue()).hasSize(3 << 20);
        assertThat(rendered.get(2).get("offset").longValue()).isEqualTo(2);
    }

    @Test
    void aFailedAnswerLeavesNothingInTheNextOne() {
        FetchResult bad = result("t", 0, List.of(record(5, null, "nope".getBytes(), List.of())));
        FetchResult good = result("t", 0, List.of(record(6, null, "1".getBytes(), List.of())));

        assertThatThrownBy(() -> RecordsJsonWriter.render(List.of(good, bad), EmbeddedFormat.JSON))
                .hasMessageContaining("offset 5");
        JsonNode rendered = MAPPER.readTree(bytes(RecordsJsonWriter.render(List.of(good), EmbeddedFormat.JSON)));

        assertThat(rendered).hasSize(1);
        assertThat(rendered.get(0).get("offset").longValue()).isEqualTo(6);
    }

    @Test
    void storedJsonTextIsCopiedAsItIs() {
        byte[] value = "{\"a\":[1,2.50,null,\"\\u00e9\"]}".getBytes(StandardCharsets.UTF_8);
        FetchResult result = result("t", 3, List.of(record(7, null, value, List.of())));

        String body = new String(
                bytes(RecordsJsonWriter.render(List.of(result), EmbeddedFormat.JSON)), StandardCharsets.UTF_8);

        assertThat(body)
                .isEqualTo(
                        "[{\"topic\":\"t\",\"partition\":3,\"offset\":7,\"timestamp\":-1,\"timestamp_type\":\"CreateTime\","
                                + "\"key\":null,\"value\":{\"a\":[1,2.50,null,\"\\u00e9\"]},\"headers\":[]}]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notJson")
    void bytesThatAreNotOneJsonValueAre406NamingTheOffset(String label, byte[] value) {
        FetchResult result = result("t", 0, List.of(record(41, null, value, List.of())));

        assertThatThrownBy(() -> RecordsJsonWriter.render(List.of(result), EmbeddedFormat.JSON))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_ACCEPTABLE))
                .hasMessageContaining("offset 41")
                .hasMessageContaining("is not JSON");
    }

    static Stream<Arguments> notJson() {
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("two values", "1 2".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("unclosed", "{\"a\":1".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("bare word", "hello".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("utf-16", "\"x\"".getBytes(StandardCharsets.UTF_16BE)),
                Arguments.of("bad utf-8 in a string", new byte[] {'"', (byte) 0xc3, '"'}),
                Arguments.of("a raw control character in a string", "\"a\u0001b\"".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a quote inside a string", "\"a\"b\"".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a lone quote", "\"".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("an escaped closing quote", "\"a\\\"".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonStrings")
    void storedJsonStringsAreCopiedAsTheyAre(String value) {
        FetchResult result =
                result("t", 0, List.of(record(1, null, value.getBytes(StandardCharsets.UTF_8), List.of())));

        String body = new String(
                bytes(RecordsJsonWriter.render(List.of(result), EmbeddedFormat.JSON)), StandardCharsets.UTF_8);

        assertThat(body).contains("\"value\":" + value + ",\"headers\"");
    }

    static Stream<String> jsonStrings() {
        return Stream.of(
                "\"\"",
                "\"plain\"",
                "\"caf\u00e9 \u2603\"",
                "\"an \\\"escaped\\\" quote\"",
                "\"tab\\t\"",
                " \"padded\" ");
    }

    @Test
    void aUtf8ByteOrderMarkIsNotCopied() {
        byte[] value = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '4', '2'};
        FetchResult result = result("t", 0, List.of(record(0, null, value, List.of())));

        JsonNode rendered = MAPPER.readTree(bytes(RecordsJsonWriter.render(List.of(result), EmbeddedFormat.JSON)));

        assertThat(rendered.get(0).get("value").intValue()).isEqualTo(42);
    }

    @Test
    void textThatIsNotUtf8Is406AndHeadersToo() {
        byte[] bad = {(byte) 0xed, (byte) 0xa0, (byte) 0x80}; // a surrogate
        FetchResult badValue = result("t", 0, List.of(record(5, null, bad, List.of())));
        FetchResult badHeader = result("t", 0, List.of(record(6, null, null, List.of(new Header("h", bad)))));

        assertThatThrownBy(() -> RecordsJsonWriter.render(List.of(badValue), EmbeddedFormat.TEXT))
                .hasMessageContaining("offset 5");
        assertThatThrownBy(() -> RecordsJsonWriter.render(List.of(badHeader), EmbeddedFormat.JSON))
                .hasMessageContaining("offset 6");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void utf8CheckAgreesWithTheJdksStrictDecoder(int seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[random.nextInt(8)];
            for (int b = 0; b < bytes.length; b++) {
                // mostly the interesting range: lead and continuation bytes
                bytes[b] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            assertThat(JsonText.isUtf8(bytes))
                    .as("seed %d, bytes %s", seed, hex(bytes))
                    .isEqualTo(jdkSaysUtf8(bytes));
        }
    }

    static IntStream seeds() {
        return IntStream.range(0, 10);
    }

    @Test
    void longsAreWrittenInDecimal() {
        List<Long> values = new ArrayList<>(List.of(0L, 7L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, -1_000_000_007L));
        for (long power = 10; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            values.addAll(List.of(power - 1, power, power + 1, -power, 1_765_000_000_000L + power));
        }
        ByteSink out = new ByteSink(1);
        for (long value : values) {
            out.reset();
            out.writeDecimal(value);
            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
        }
    }

    // ---- random records and the oracle --------------------------------------------------------------------------

    /**
     * Records at consecutive offsets from a random start, in runs of one timestamp type; a run under log-append time
     * shares one timestamp, as a stored batch's records do.
     */
    private static List<FetchedRecord> randomRecords(Random random, EmbeddedFormat format) {
        List<FetchedRecord> records = new ArrayList<>();
        long offset = random.nextInt(1_000_000);
        TimestampType type = TimestampType.CREATE_TIME;
        long appendTime = 0;
        for (int i = 0; i < random.nextInt(40); i++) {
            if (random.nextInt(4) == 0) {
                type = random.nextBoolean() ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
                appendTime = random.nextLong(1L << 42);
            }
            List<Header> headers = new ArrayList<>();
            for (int h = 0; h < random.nextInt(3); h++) {
                headers.add(new Header(
                        randomText(random, 6),
                        random.nextInt(5) == 0
                                ? null
                                : randomPayload(
                                        random, format == EmbeddedFormat.BINARY ? format : EmbeddedFormat.TEXT)));
            }
            records.add(new FetchedRecord(
                    offset + i,
                    type == TimestampType.LOG_APPEND_TIME
                            ? appendTime
                            : random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 30),
                    type,
                    random.nextInt(4) == 0 ? null : randomPayload(random, format),
                    random.nextInt(8) == 0 ? null : randomPayload(random, format),
                    headers));
        }
        return records;
    }

    /**
     * A read of {@code records} as the log returns one: stored batches (a new one wherever the offsets jump or the
     * timestamp type or log-append time changes, some gzip-compressed), walked in place by the writer.
     */
    private static FetchResult result(String topic, int partition, List<FetchedRecord> records) {
        List<RecordBatch> batches = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= records.size(); i++) {
            if (i == records.size() || !sameBatch(records.get(i - 1), records.get(i))) {
                batches.add(batch(records.subList(start, i)));
                start = i;
            }
        }
        long from = records.isEmpty() ? 0 : records.get(0).offset();
        return new FetchResult(
                topic, partition, StoredRecords.of(batches, from, Integer.MAX_VALUE), 0, from + records.size());
    }

    private static boolean sameBatch(FetchedRecord previous, FetchedRecord next) {
        return next.offset() == previous.offset() + 1
                && next.timestampType() == previous.timestampType()
                && (next.timestampType() == TimestampType.CREATE_TIME || next.timestamp() == previous.timestamp());
    }

    private static RecordBatch batch(List<FetchedRecord> records) {
        FetchedRecord first = records.get(0);
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .compression(first.offset() % 3 == 0 ? CompressionType.GZIP : CompressionType.NONE);
        for (FetchedRecord record : records) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
        RecordBatch batch = builder.build();
        batch.setBaseOffset(first.offset());
        if (first.timestampType() == TimestampType.LOG_APPEND_TIME) {
            batch.setLogAppendTime(first.timestamp());
        }
        return batch;
    }

    private static byte[] randomPayload(Random random, EmbeddedFormat format) {
        return switch (format) {
            case BINARY -> {
                byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case TEXT -> randomText(random, 200).getBytes(StandardCharsets.UTF_8);
            case JSON -> MAPPER.writeValueAsBytes(randomJson(random, 3));
        };
    }

    private static JsonNode randomJson(Random random, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> nodes.numberNode(random.nextLong());
            case 1 -> nodes.numberNode(random.nextDouble() * 1e6);
            case 2 -> nodes.stringNode(randomText(random, 40));
            case 3 -> nodes.booleanNode(random.nextBoolean());
            case 4 -> nodes.nullNode();
            case 5 -> {
                ArrayNode array = nodes.arrayNode();
                for (int i = 0; i < random.nextInt(4); i++) {
                    array.add(randomJson(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = nodes.objectNode();
                for (int i = 0; i < random.nextInt(4); i++) {
                    object.set(randomText(random, 8), randomJson(random, depth - 1));
                }
                yield object;
            }
        };
    }

    /** Text with quotes, backslashes, control characters and 2-, 3- and 4-byte UTF-8. */
    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < random.nextInt(maxLength + 1); i++) {
            switch (random.nextInt(8)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append(random.nextBoolean() ? '"' : '\\');
                case 2 -> text.append((char) (0x80 + random.nextInt(0x700)));
                case 3 -> text.append((char) (0x800 + random.nextInt(0xd000 - 0x800)));
                case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000 - 0x10000));
                default -> text.append((char) (0x20 + random.nextInt(0x5f)));
            }
        }
        return text.toString();
    }

    /** What the answer looked like when it was built as a Jackson tree (the rendering this class replaced). */
    private static ArrayNode oracle(String topic, int partition, List<FetchedRecord> fetched, EmbeddedFormat format) {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        for (FetchedRecord record : fetched) {
            ObjectNode node = records.addObject();
            node.put("topic", topic);
            node.put("partition", partition);
            node.put("offset", record.offset());
            node.put("timestamp", record.timestamp());
            node.put(
                    "timestamp_type",
                    record.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime");
            node.set("key", format.toNode(record.key(), record.offset(), "key", MAPPER));
            node.set("value", format.toNode(record.value(), record.offset(), "value", MAPPER));
            ArrayNode headers = node.putArray("headers");
            for (Header header : record.headers()) {
                ObjectNode h = headers.addObject();
                h.put("key", header.key());
                h.set("value", format.headerToNode(header.value(), record.offset()));
            }
        }
        return records;
    }

    private static FetchedRecord record(long offset, byte[] key, byte[] value, List<Header> headers) {
        return new FetchedRecord(offset, -1, TimestampType.CREATE_TIME, key, value, headers);
    }

    private static byte[] bytes(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return bytes;
    }

    private static boolean jdkSaysUtf8(byte[] bytes) {
        return JsonTextTest.strictlyDecoded(bytes) != null;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x ", b));
        }
        return text.toString();
    }
}
