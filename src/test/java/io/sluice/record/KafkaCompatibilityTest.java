package io.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte compatibility with Apache Kafka's own codec (kafka-clients, test scope): what Sluice encodes Kafka decodes
 * field for field, what Kafka encodes Sluice decodes and accepts, and uncompressed batches are byte-identical.
 */
class KafkaCompatibilityTest {

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void kafkaDecodesWhatSluiceEncodes(long seed) {
        RandomBatches.Spec spec = RandomBatches.spec(seed);
        RecordBatch ours = RandomBatches.build(spec);
        ours.setBaseOffset(1_000 + seed);
        ours.setPartitionLeaderEpoch(7);

        List<MutableRecordBatch> theirs = new ArrayList<>();
        MemoryRecords.readableRecords(ours.buffer()).batches().forEach(theirs::add);

        assertThat(theirs).hasSize(1);
        MutableRecordBatch batch = theirs.get(0);
        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(1_000 + seed);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.producerId()).isEqualTo(spec.producerId());
        assertThat(batch.producerEpoch()).isEqualTo(spec.producerEpoch());
        assertThat(batch.baseSequence()).isEqualTo(spec.baseSequence());
        assertThat(batch.lastSequence()).isEqualTo(ours.lastSequence());
        assertThat(batch.maxTimestamp()).isEqualTo(ours.maxTimestamp());
        assertThat((int) batch.compressionType().id)
                .isEqualTo(spec.compression().id());
        assertSameRecords(batch, spec, 1_000 + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sluiceDecodesWhatKafkaEncodes(long seed) {
        RandomBatches.Spec spec = RandomBatches.spec(seed);
        ByteBuffer kafkaBytes = kafkaBuild(spec, 42 + seed);

        RecordBatch batch = RecordBatch.wrap(kafkaBytes);
        RecordBatchValidator.validate(batch, Integer.MAX_VALUE);

        assertThat(batch.baseOffset()).isEqualTo(42 + seed);
        assertThat(batch.producerId()).isEqualTo(spec.producerId());
        assertThat(batch.producerEpoch()).isEqualTo(spec.producerEpoch());
        assertThat(batch.baseSequence()).isEqualTo(spec.baseSequence());
        assertThat(batch.compressionType()).isEqualTo(spec.compression());
        List<Record> records = batch.records();
        assertThat(records).hasSize(spec.records().size());
        for (int i = 0; i < records.size(); i++) {
            RandomBatches.Input expected = spec.records().get(i);
            Record actual = records.get(i);
            assertThat(actual.offset()).isEqualTo(42 + seed + i);
            assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
            assertThat(actual.keyBytes()).isEqualTo(expected.key());
            assertThat(actual.valueBytes()).isEqualTo(expected.value());
            assertThat(actual.headers()).isEqualTo(expected.headers());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void uncompressedBatchesAreByteIdentical(long seed) {
        RandomBatches.Spec spec = RandomBatches.spec(seed);
        if (spec.compression() != CompressionType.NONE) {
            return; // gzip output depends on the deflater's buffering, not on the batch format
        }
        ByteBuffer kafkaBytes = kafkaBuild(spec, 0);
        assertThat(RandomBatches.build(spec).buffer()).isEqualTo(kafkaBytes);
    }

    private static ByteBuffer kafkaBuild(RandomBatches.Spec spec, long baseOffset) {
        Compression compression =
                spec.compression() == CompressionType.GZIP ? Compression.gzip().build() : Compression.NONE;
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(1024),
                org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2,
                compression,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                baseOffset,
                org.apache.kafka.common.record.internal.RecordBatch.NO_TIMESTAMP,
                spec.producerId(),
                spec.producerEpoch(),
                spec.baseSequence(),
                false,
                org.apache.kafka.common.record.internal.RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (RandomBatches.Input input : spec.records()) {
            builder.append(input.timestamp(), input.key(), input.value(), kafkaHeaders(input.headers()));
        }
        return builder.build().buffer();
    }

    private static org.apache.kafka.common.header.Header[] kafkaHeaders(List<Header> headers) {
        return headers.stream()
                .map(h -> new RecordHeader(h.key(), h.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    private static void assertSameRecords(MutableRecordBatch batch, RandomBatches.Spec spec, long baseOffset) {
        int i = 0;
        for (org.apache.kafka.common.record.internal.Record record : batch) {
            RandomBatches.Input expected = spec.records().get(i);
            assertThat(record.offset()).isEqualTo(baseOffset + i);
            assertThat(record.timestamp()).isEqualTo(expected.timestamp());
            assertThat(bytes(record.key())).isEqualTo(expected.key());
            assertThat(bytes(record.value())).isEqualTo(expected.value());
            List<Header> headers = new ArrayList<>();
            for (org.apache.kafka.common.header.Header h : record.headers()) {
                headers.add(new Header(h.key(), h.value()));
            }
            assertThat(headers).isEqualTo(expected.headers());
            i++;
        }
        assertThat(i).isEqualTo(spec.records().size());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
