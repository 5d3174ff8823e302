package io.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.CompressionType;
import io.sluice.record.Header;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordView;
import io.sluice.record.TimestampType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run of records a read returns, counted at read time and walked in place afterwards. */
class StoredRecordsTest {

    /** Offsets 10-12 (gzip), a control batch at 13, 14-16 under log-append time at 5,000. */
    private final List<RecordBatch> batches = List.of(
            batch(10, CompressionType.GZIP, TimestampType.CREATE_TIME, 3),
            control(13),
            batch(14, CompressionType.NONE, TimestampType.LOG_APPEND_TIME, 3));

    @Test
    void theRunStartsMidBatchSkipsControlBatchesAndCountsWhatItHolds() {
        StoredRecords run = StoredRecords.of(batches, 11, Integer.MAX_VALUE);

        assertThat(run.count()).isEqualTo(5);
        assertThat(run.nextOffset()).isEqualTo(17);
        // per record: key "k<offset>" (3 bytes), value "value-<offset>" (8), header "h" = "x" (2)
        assertThat(run.payloadBytes()).isEqualTo(5 * 13);
        List<FetchedRecord> records = run.decode();
        assertThat(records).extracting(FetchedRecord::offset).containsExactly(11L, 12L, 14L, 15L, 16L);
        assertThat(records)
                .extracting(FetchedRecord::timestampType)
                .containsExactly(
                        TimestampType.CREATE_TIME,
                        TimestampType.CREATE_TIME,
                        TimestampType.LOG_APPEND_TIME,
                        TimestampType.LOG_APPEND_TIME,
                        TimestampType.LOG_APPEND_TIME);
        assertThat(records)
                .extracting(FetchedRecord::timestamp)
                .containsExactly(1_011L, 1_012L, 5_000L, 5_000L, 5_000L);
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("value-11");
        assertThat(records.get(4).headers()).containsExactly(new Header("h", "x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void maxRecordsEndsTheRunInsideABatch() {
        StoredRecords run = StoredRecords.of(batches, 10, 4);

        assertThat(run.count()).isEqualTo(4);
        assertThat(run.nextOffset()).isEqualTo(15);
        assertThat(run.decode()).extracting(FetchedRecord::offset).containsExactly(10L, 11L, 12L, 14L);
    }

    @Test
    void aRunWithNoRecordsIsNone() {
        assertThat(StoredRecords.of(batches, 17, 10)).isSameAs(StoredRecords.NONE);
        assertThat(StoredRecords.of(List.of(control(13)), 13, 10)).isSameAs(StoredRecords.NONE);
    }

    @Test
    void aWalkStopsWhenTheVisitorSaysSoAndViewsPointIntoTheBatches() {
        StoredRecords run = StoredRecords.of(batches, 10, Integer.MAX_VALUE);
        List<String> keys = new ArrayList<>();

        run.forEach(new RecordView(), record -> {
            byte[] key = new byte[record.keyLength()];
            record.buffer().get(record.keyPosition(), key);
            keys.add(new String(key, StandardCharsets.UTF_8));
            return keys.size() < 4;
        });

        assertThat(keys).containsExactly("k10", "k11", "k12", "k14");
    }

    private static RecordBatch batch(long baseOffset, CompressionType compression, TimestampType type, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(compression);
        for (long offset = baseOffset; offset < baseOffset + count; offset++) {
            builder.append(
                    1_000 + offset,
                    ("k" + offset).getBytes(StandardCharsets.UTF_8),
                    ("value-" + offset).getBytes(StandardCharsets.UTF_8),
                    List.of(new Header("h", "x".getBytes(StandardCharsets.UTF_8))));
        }
        RecordBatch batch = builder.build();
        batch.setBaseOffset(baseOffset);
        if (type == TimestampType.LOG_APPEND_TIME) {
            batch.setLogAppendTime(5_000);
        }
        return batch;
    }

    /** A one-record batch marked as a control batch (as a transaction marker would be). */
    private static RecordBatch control(long offset) {
        RecordBatch batch = batch(offset, CompressionType.NONE, TimestampType.CREATE_TIME, 1);
        batch.buffer().putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) (batch.attributes() | 0x20));
        batch.buffer().putInt(RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
        assertThat(batch.isControlBatch()).isTrue();
        return batch;
    }
}
