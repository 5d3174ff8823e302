package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Group reads in Kafka's record-batch format ({@code Accept: application/vnd.sluice.batches} on
 * {@code /consumers/{g}/instances/{i}/records}), the framing decoded here and every batch by kafka-clients'
 * {@link MemoryRecords}: each record is handed out exactly once, across partitions and mixed with JSON reads of the
 * same instance, the positions move past what was handed out, and a position inside a batch is named so the client
 * skips what it already had.
 */
class GroupBatchReadIT extends ServerIT {

    private static final String BATCHES = "application/vnd.sluice.batches";
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private Consumers consumers;

    @BeforeEach
    void consumers() {
        consumers = new Consumers(api);
    }

    /** One partition's section of an answer. */
    record Section(String topic, int partition, long position, long nextOffset, List<Record> records) {}

    @Test
    void batchAndJsonReadsOfOneInstanceHandOutEveryRecordOnceAndMoveThePositions() {
        String topic = createTopic("group-batches", 3);
        String group = "group-batches-" + GROUPS.incrementAndGet();
        for (int i = 0; i < 6; i++) {
            consumers.produce(topic, i * 20, 20, 5); // several batches per partition
        }
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);

        List<Integer> values = new ArrayList<>();
        Map<Integer, Long> next = new HashMap<>();
        boolean batches = true;
        int batchAnswers = 0;
        while (true) {
            String path = Consumers.instancePath(group, "c1") + "/records?timeout=0&max_bytes=300";
            ApiClient.Response response = batches ? api.get(path, "Accept", BATCHES) : api.get(path);
            assertThat(response.headers()).containsKey("sluice-generation");
            if (batches && response.status() == 204) {
                assertThat(response.body()).isEmpty();
                break;
            }
            if (batches) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.contentType()).isEqualTo(BATCHES);
                for (Section section : decode(response.body())) {
                    assertThat(section.topic()).isEqualTo(topic);
                    assertThat(section.records()).isNotEmpty();
                    assertThat(section.position()).isEqualTo(next.getOrDefault(section.partition(), 0L));
                    assertThat(section.records().get(0).offset()).isEqualTo(section.position());
                    section.records().forEach(r -> values.add(Integer.parseInt(text(r.value()))));
                    next.put(section.partition(), section.nextOffset());
                }
                batchAnswers++;
            } else {
                for (JsonNode record : response.expect(200)) {
                    values.add(record.get("value").intValue());
                    next.put(
                            record.get("partition").intValue(),
                            record.get("offset").longValue() + 1);
                }
            }
            batches = !batches;
        }

        assertThat(batchAnswers)
                .as("max_bytes=300 cuts the reads into several answers")
                .isGreaterThan(2);
        assertThat(values).hasSize(120).containsExactlyInAnyOrderElementsOf(range(120));
        JsonNode positions = api.get(Consumers.instancePath(group, "c1") + "/positions")
                .expect(200)
                .get("offsets");
        for (JsonNode position : positions) {
            assertThat(position.get("offset").longValue())
                    .isEqualTo(next.get(position.get("partition").intValue()));
        }
        JsonNode committed = consumers.commitAll(group, "c1").expect(200);
        long total = 0;
        for (JsonNode offset : committed.get("offsets")) {
            total += offset.get("offset").longValue();
        }
        assertThat(total).isEqualTo(120);
    }

    @Test
    void aPositionInsideABatchIsNamedSoTheClientSkipsWhatItHad() {
        String topic = createTopic("group-batches-mid", 1);
        String group = "group-batches-" + GROUPS.incrementAndGet();
        consumers.produce(topic, 0, 5, 1); // one batch: offsets 0-4
        consumers.create(group, "c1", "earliest");
        consumers.subscribe(group, "c1", topic);
        consumers.read(group, "c1", 0, 2).expect(200); // JSON, two records: the position is now 2, inside the batch

        ApiClient.Response response =
                api.get(Consumers.instancePath(group, "c1") + "/records?timeout=0", "Accept", BATCHES);

        List<Section> sections = decode(response.body());
        assertThat(sections).hasSize(1);
        Section section = sections.get(0);
        assertThat(section.partition()).isZero();
        assertThat(section.position()).isEqualTo(2);
        assertThat(section.nextOffset()).isEqualTo(5);
        assertThat(section.records()).extracting(Record::offset).containsExactly(2L, 3L, 4L);
        assertThat(api.get(Consumers.instancePath(group, "c1") + "/records?timeout=0", "Accept", BATCHES)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void anEmptyReadIs204WithTheGroupHeaders() {
        String topic = createTopic("group-batches-empty", 1);
        String group = "group-batches-" + GROUPS.incrementAndGet();
        consumers.create(group, "c1", "latest");
        consumers.subscribe(group, "c1", topic);

        ApiClient.Response response =
                api.get(Consumers.instancePath(group, "c1") + "/records?timeout=50", "Accept", BATCHES);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.headers()).containsKeys("sluice-generation", "sluice-lease-ms");
    }

    /** The sections of a body, each batch CRC-checked, the records below each section's position skipped. */
    private static List<Section> decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<Section> sections = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] topic = new byte[in.getShort()];
            in.get(topic);
            int partition = in.getInt();
            long position = in.getLong();
            long nextOffset = in.getLong();
            int length = in.getInt();
            ByteBuffer batches = in.slice(in.position(), length);
            in.position(in.position() + length);
            List<Record> records = new ArrayList<>();
            long end = position;
            for (RecordBatch batch : MemoryRecords.readableRecords(batches).batches()) {
                batch.ensureValid();
                end = batch.nextOffset();
                for (Record record : batch) {
                    if (record.offset() >= position) {
                        records.add(record);
                    }
                }
            }
            assertThat(nextOffset).as("the next offset follows the last batch").isEqualTo(end);
            sections.add(
                    new Section(new String(topic, StandardCharsets.UTF_8), partition, position, nextOffset, records));
        }
        return sections;
    }

    private static String text(ByteBuffer bytes) {
        return new String(Utils.toArray(bytes), StandardCharsets.UTF_8);
    }

    private static List<Integer> range(int count) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(i);
        }
        return values;
    }
}
