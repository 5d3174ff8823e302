package io.sluice.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.Header;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import io.sluice.topic.ServicesFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceServiceTest {

    @TempDir
    Path dir;

    private static ProduceRecord value(String value) {
        return new ProduceRecord(null, value.getBytes(StandardCharsets.UTF_8), null, List.of(), null);
    }

    @Test
    void recordsOfOnePartitionBecomeOneBatchWithDenseOffsetsInRequestOrder() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 2, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            List<ProduceRecord> records = List.of(
                    new ProduceRecord(null, new byte[] {1}, 1, List.of(new Header("h", null)), 77L),
                    new ProduceRecord(null, new byte[] {2}, 0, List.of(), null),
                    new ProduceRecord(null, new byte[] {3}, 1, List.of(), null));

            List<RecordOffset> offsets = produce.produce("t", OptionalInt.empty(), records, Optional.empty());

            assertThat(offsets).containsExactly(new RecordOffset(1, 0), new RecordOffset(0, 0), new RecordOffset(1, 1));
            List<RecordBatch> batches = RecordBatches.split(
                    f.topics.log("t", 1).read(0, 1 << 20).records().readFully());
            assertThat(batches).hasSize(1);
            List<Record> stored = batches.get(0).records();
            assertThat(stored.get(0).timestamp()).isEqualTo(77L);
            assertThat(stored.get(0).headers()).containsExactly(new Header("h", null));
            assertThat(stored.get(1).timestamp()).isEqualTo(f.clock.milliseconds());
            assertThat(f.meters.counter("sluice.records.in", "topic", "t").count())
                    .isEqualTo(3);
        }
    }

    @Test
    void aRestartedRequestPutsKeylessRecordsWhereTheFirstReadingChoseAndTheNextRequestMovesOn() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 3, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            ProduceRequest firstReading = produce.open("t", OptionalInt.empty(), Optional.empty());
            firstReading.add(value("a"));

            List<RecordOffset> restarted = produce.produce(firstReading.restart(), List.of(value("a"), value("b")));
            List<RecordOffset> next = produce.produce("t", OptionalInt.empty(), List.of(value("c")), Optional.empty());

            int chosen = restarted.get(0).partition();
            assertThat(restarted).containsExactly(new RecordOffset(chosen, 0), new RecordOffset(chosen, 1));
            assertThat(next).containsExactly(new RecordOffset((chosen + 1) % 3, 0));
        }
    }

    @Test
    void idempotentRetryIsPlacedTheSameWayAndWritesNothing() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 5, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            List<ProduceRecord> records = List.of(value("a"), value("b"));

            List<RecordOffset> first = produce.produce("t", OptionalInt.empty(), records, Optional.of("k1"));
            for (int i = 0; i < 4; i++) {
                produce.produce("t", OptionalInt.empty(), List.of(value("noise")), Optional.empty());
            }
            List<RecordOffset> retry = produce.produce("t", OptionalInt.empty(), records, Optional.of("k1"));

            assertThat(retry).isEqualTo(first);
            assertThat(first.get(0).partition()).isEqualTo(Partitioner.forIdempotencyKey("k1", 5));
            long total = 0;
            for (int p = 0; p < 5; p++) {
                total += f.topics.log("t", p).logEndOffset();
            }
            assertThat(total).isEqualTo(6);
        }
    }

    @Test
    void reusingAnIdempotencyKeyForADifferentRequestIsRefusedWithoutWriting() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            produce.produce("t", OptionalInt.empty(), List.of(value("a"), value("b")), Optional.of("k"));

            assertThatThrownBy(() -> produce.produce("t", OptionalInt.empty(), List.of(value("c")), Optional.of("k")))
                    .hasMessageContaining("Idempotency-Key 'k'")
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE);
            assertThat(f.topics.log("t", 0).logEndOffset()).isEqualTo(2);
        }
    }

    @Test
    void aRecordNamingAnotherPartitionThanThePathIsRefused() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 2, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            List<ProduceRecord> records = new ArrayList<>(List.of(value("a")));
            records.add(new ProduceRecord(null, null, 0, List.of(), null));

            assertThatThrownBy(() -> produce.produce("t", OptionalInt.of(1), records, Optional.empty()))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(f.topics.log("t", 1).logEndOffset()).isZero();
        }
    }

    @Test
    void recordsBeyondMaxMessageBytesAreSplitIntoSeveralBatchesWithDenseOffsets() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of("max.message.bytes", "1000"));
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            List<ProduceRecord> records = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                records.add(value("v".repeat(100)));
            }

            List<RecordOffset> offsets = produce.produce("t", OptionalInt.empty(), records, Optional.empty());

            assertThat(offsets)
                    .extracting(RecordOffset::offset)
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, 30).boxed().toList());
            List<RecordBatch> batches = RecordBatches.split(
                    f.topics.log("t", 0).read(0, 1 << 20).records().readFully());
            assertThat(batches).hasSizeGreaterThan(3).allMatch(b -> b.sizeInBytes() <= 1000);
        }
    }

    @Test
    void anIdempotentRequestSplitIntoBatchesIsStillRecognisedAsARetry() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of("max.message.bytes", "1000"));
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            List<ProduceRecord> records = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                records.add(value("v".repeat(100)));
            }

            List<RecordOffset> first = produce.produce("t", OptionalInt.empty(), records, Optional.of("big"));
            List<RecordOffset> retry = produce.produce("t", OptionalInt.empty(), records, Optional.of("big"));

            assertThat(retry).isEqualTo(first);
            assertThat(f.topics.log("t", 0).logEndOffset()).isEqualTo(25);
            List<ProduceRecord> tooMany = new ArrayList<>(records);
            tooMany.addAll(records);
            assertThatThrownBy(() -> produce.produce("t", OptionalInt.empty(), tooMany, Optional.of("bigger")))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.RECORD_TOO_LARGE);
            assertThat(f.topics.log("t", 0).logEndOffset())
                    .as("nothing of the refused request")
                    .isEqualTo(25);
        }
    }

    @Test
    void aBatchOverMaxMessageBytesIsRecordTooLarge() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of("max.message.bytes", "200"));
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);

            assertThatThrownBy(() -> produce.produce(
                            "t", OptionalInt.empty(), List.of(value("x".repeat(500))), Optional.empty()))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.RECORD_TOO_LARGE);
        }
    }
}
