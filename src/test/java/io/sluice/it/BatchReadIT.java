package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Reads in Kafka's own format ({@code Accept: application/vnd.sluice.batches}), decoded here by kafka-clients'
 * {@link MemoryRecords} as a Kafka client would: every record produced comes back, CRCs hold, nothing at or past the
 * high watermark is served, a damaged batch is a 503 and never sent.
 */
class BatchReadIT extends ServerIT {

    private static final String BATCHES = "application/vnd.sluice.batches";

    @Test
    void everyProducedRecordComesBackInKafkasFormatAndTheNextOffsetContinues() {
        String topic = createTopic("batches", 1);
        for (int batch = 0; batch < 5; batch++) {
            StringBuilder records = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                int n = batch * 20 + i;
                records.append(i == 0 ? "" : ",")
                        .append("{\"key\":\"k")
                        .append(n)
                        .append("\",\"value\":\"v")
                        .append(n)
                        .append("\"}");
            }
            api.postJson(
                            "/topics/" + topic,
                            "{\"records\":[" + records + "]}",
                            "Content-Type",
                            "application/vnd.sluice.text.v2+json")
                    .expect(200);
        }

        List<Record> read = new ArrayList<>();
        long next = 0;
        int requests = 0;
        while (true) {
            ApiClient.Response response = api.get(
                    "/topics/" + topic + "/partitions/0/records?offset=" + next + "&max_bytes=600", "Accept", BATCHES);
            assertThat(header(response, "Sluice-High-Watermark")).isEqualTo(100);
            if (response.status() == 204) {
                assertThat(response.body()).isEmpty();
                assertThat(header(response, "Sluice-Next-Offset")).isEqualTo(next);
                break;
            }
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo(BATCHES);
            requests++;
            List<Record> records = decode(response.body(), next);
            assertThat(records).isNotEmpty();
            read.addAll(records);
            next = header(response, "Sluice-Next-Offset");
            assertThat(next).isEqualTo(records.get(records.size() - 1).offset() + 1);
        }

        assertThat(requests)
                .as("max_bytes=600 cuts the read into several answers")
                .isGreaterThan(1);
        assertThat(read).extracting(Record::offset).containsExactlyElementsOf(range(0, 100));
        for (Record record : read) {
            // stored as JSON text, the json embedded format
            assertThat(text(record.key())).isEqualTo("\"k" + record.offset() + "\"");
            assertThat(text(record.value())).isEqualTo("\"v" + record.offset() + "\"");
        }
    }

    @Test
    void aReadFromTheMiddleOfABatchGetsTheWholeBatchAndNothingPastTheHighWatermark() {
        String topic = createTopic("batches-mid", 1);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3}]}")
                .expect(200);

        ApiClient.Response response =
                api.get("/topics/" + topic + "/partitions/0/records?offset=1&timeout=0", "Accept", BATCHES);

        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(response.body()));
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            batch.ensureValid();
            batch.forEach(r -> offsets.add(r.offset()));
        }
        assertThat(offsets).containsExactly(0L, 1L, 2L);
        long highWatermark = header(response, "Sluice-High-Watermark");
        assertThat(highWatermark).isEqualTo(3);
        assertThat(offsets).allMatch(offset -> offset < highWatermark);
        assertThat(header(response, "Sluice-Next-Offset")).isEqualTo(3);
        assertThat(header(response, "Sluice-Log-Start-Offset")).isZero();
    }

    @Test
    void aWaitingBatchReadAnswersWhenARecordArrives() throws Exception {
        String topic = createTopic("batches-wait", 1);
        CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(
                () -> api.get("/topics/" + topic + "/partitions/0/records?offset=0&timeout=30000", "Accept", BATCHES));
        awaitWaitingRead();

        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":\"late\"}]}").expect(200);

        ApiClient.Response response = waiting.get(20, TimeUnit.SECONDS);
        List<Record> records = decode(response.body(), 0);
        assertThat(records).hasSize(1);
        assertThat(text(records.get(0).value())).isEqualTo("\"late\"");
    }

    @Test
    void aDamagedBatchIs503AndNeverServed() throws Exception {
        String topic = topicWithDamagedSecondBatch("batches-rot");

        ApiClient.Response damaged = api.get("/topics/" + topic + "/partitions/0/records?offset=0", "Accept", BATCHES);
        String message = damaged.expectError(503, 50302);

        assertThat(message).contains("batch at offset 1 is damaged on disk");
        ApiClient.Response first =
                api.get("/topics/" + topic + "/partitions/0/records?offset=0&max_bytes=1", "Accept", BATCHES);
        assertThat(decode(first.body(), 0)).extracting(r -> text(r.value())).containsExactly("\"first\"");
    }

    /** The records at or after {@code from}, every batch's CRC checked, as Kafka's consumer does. */
    private static List<Record> decode(byte[] body, long from) {
        List<Record> records = new ArrayList<>();
        for (RecordBatch batch :
                MemoryRecords.readableRecords(ByteBuffer.wrap(body)).batches()) {
            batch.ensureValid();
            for (Record record : batch) {
                if (record.offset() >= from) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    private static long header(ApiClient.Response response, String name) {
        for (Map.Entry<String, List<String>> entry : response.headers().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return Long.parseLong(entry.getValue().get(0));
            }
        }
        throw new AssertionError("no " + name + " header in " + response.headers());
    }

    private static String text(ByteBuffer bytes) {
        return new String(Utils.toArray(bytes), StandardCharsets.UTF_8);
    }

    private static List<Long> range(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        for (long o = from; o < to; o++) {
            offsets.add(o);
        }
        return offsets;
    }
}
