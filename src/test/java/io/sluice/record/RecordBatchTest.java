package io.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordBatchTest {

    private static RecordBatch threeRecords() {
        return new RecordBatchBuilder()
                .append(1_000L, "k1".getBytes(StandardCharsets.UTF_8), "v1".getBytes(StandardCharsets.UTF_8), List.of())
                .append(1_500L, null, "v2".getBytes(StandardCharsets.UTF_8), List.of(new Header("h", null)))
                .append(900L, "k3".getBytes(StandardCharsets.UTF_8), null, List.of())
                .build();
    }

    @Test
    void headerFieldsDescribeTheRecords() {
        RecordBatch batch = threeRecords();

        assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(batch.recordCount()).isEqualTo(3);
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.baseTimestamp()).isEqualTo(1_000L);
        assertThat(batch.maxTimestamp()).isEqualTo(1_500L);
        assertThat(batch.hasProducerId()).isFalse();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.sizeInBytes()).isEqualTo(batch.buffer().remaining());
        assertThat(batch.isValid()).isTrue();
    }

    @Test
    void recordsDecodeWithNullKeysTombstonesAndHeaders() {
        List<Record> records = threeRecords().records();

        assertThat(records).extracting(Record::offset).containsExactly(0L, 1L, 2L);
        assertThat(records).extracting(Record::timestamp).containsExactly(1_000L, 1_500L, 900L);
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).headers()).containsExactly(new Header("h", null));
        assertThat(records.get(2).value()).isNull();
    }

    @Test
    void rewritingBaseOffsetAndLeaderEpochKeepsTheCrcValid() {
        RecordBatch batch = threeRecords();
        long crc = batch.checksum();

        batch.setBaseOffset(123_456_789L);
        batch.setPartitionLeaderEpoch(9);

        assertThat(batch.checksum()).isEqualTo(crc);
        batch.ensureValid();
        assertThat(batch.records())
                .extracting(Record::offset)
                .containsExactly(123_456_789L, 123_456_790L, 123_456_791L);
        assertThat(batch.nextOffset()).isEqualTo(123_456_792L);
    }

    @Test
    void logAppendTimeStampsEveryRecordAndKeepsTheCrcValid() {
        RecordBatch batch = threeRecords();

        batch.setLogAppendTime(5_000L);

        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.records()).extracting(Record::timestamp).containsOnly(5_000L);
    }

    @Test
    void lastSequenceWrapsPastIntegerMax() {
        RecordBatch batch = new RecordBatchBuilder()
                .producer(7L, (short) 0, Integer.MAX_VALUE - 1)
                .append(1L, (byte[]) null, new byte[1], List.of())
                .append(1L, (byte[]) null, new byte[1], List.of())
                .append(1L, (byte[]) null, new byte[1], List.of())
                .build();

        assertThat(batch.lastSequence()).isEqualTo(0);
    }

    @Test
    void everyFlippedByteInsideTheCrcIsDetected() {
        RecordBatch original = threeRecords();
        Random random = new Random(3);
        for (int position = RecordBatch.ATTRIBUTES_OFFSET; position < original.sizeInBytes(); position++) {
            ByteBuffer copy = copyOf(original);
            copy.put(position, (byte) (copy.get(position) ^ (1 + random.nextInt(255))));
            assertThat(RecordBatch.wrap(copy).isValid())
                    .as("flip at %d", position)
                    .isFalse();
        }
    }

    @Test
    void truncatedBatchIsReportedAsTruncated() {
        ByteBuffer cut = copyOf(threeRecords()).limit(40);

        assertThatThrownBy(() -> RecordBatch.wrap(cut).ensureValid())
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRecordException.Reason.TRUNCATED));
    }

    @Test
    void gzipBatchRoundTrips() {
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(CompressionType.GZIP);
        byte[] value = "the same text again and again ".repeat(20).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            builder.append(i, null, value, List.of());
        }
        RecordBatch batch = builder.build();

        RecordBatchValidator.validate(batch, Integer.MAX_VALUE);
        assertThat(batch.sizeInBytes()).isLessThan(value.length * 2);
        assertThat(batch.records())
                .hasSize(50)
                .allSatisfy(r -> assertThat(r.valueBytes()).isEqualTo(value));
    }

    static ByteBuffer copyOf(RecordBatch batch) {
        ByteBuffer source = batch.buffer();
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source).flip();
        return copy;
    }
}
