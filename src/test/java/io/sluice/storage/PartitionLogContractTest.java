package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage API as the services use it (storage-api.md), one sentence per test, through a {@link LogManager}.
 */
class PartitionLogContractTest {

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private LogManager manager;
    private PartitionLog log;

    @BeforeEach
    void open() {
        manager = LogManager.open(dataDir, LogConfig.defaults(), clock, 2);
        log = manager.getOrCreate(new TopicPartition("contract", 0), LogConfig.defaults());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void severalBatchesInOneAppendGetConsecutiveOffsets() {
        ByteBuffer two = TestBatches.concat(TestBatches.batch(10, "a", "b"), TestBatches.batch(11, "c"));
        assertThat(log.appendAsLeader(two, 7)).isEqualTo(new AppendResult(0, 2, -1, 3, false));
        List<RecordBatch> stored = TestBatches.batches(log.read(0, 10_000).records());
        assertThat(stored).extracting(RecordBatch::baseOffset).containsExactly(0L, 2L);
        assertThat(stored).extracting(RecordBatch::partitionLeaderEpoch).containsOnly(7);
    }

    @Test
    void theFirstBatchIsReturnedWholeEvenIfLargerThanMaxBytes() {
        log.appendAsLeader(TestBatches.sized(10, 500, 1), 0);
        assertThat(log.read(0, 10).records().sizeInBytes()).isGreaterThan(5000);
    }

    @Test
    void outOfRangeReadsReportTheBounds() {
        log.appendAsLeader(TestBatches.batch(1, "a"), 0);
        assertThatThrownBy(() -> log.read(5, 100)).isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
            assertThat(e.offset()).isEqualTo(5);
            assertThat(e.logStartOffset()).isZero();
            assertThat(e.highWatermark()).isEqualTo(1);
        });
    }

    @Test
    void transferToSendsTheSameBytesAsReadFully() {
        log.appendAsLeader(TestBatches.batch(1, "a", "b"), 0);
        log.appendAsLeader(TestBatches.batch(1, "c"), 0);
        FileSlice slice = log.read(0, 10_000).records();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel channel = Channels.newChannel(out);
        assertThat(slice.transferTo(channel)).isEqualTo(slice.sizeInBytes());
        ByteBuffer copy = slice.readFully();
        byte[] expected = new byte[copy.remaining()];
        copy.get(expected);
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (long ts : new long[] {100, 300, 200, 400}) {
            builder.append(ts, (byte[]) null, "v".getBytes(StandardCharsets.UTF_8), List.of());
        }
        log.appendAsLeader(builder.build().buffer(), 0);
        assertThat(log.offsetForTimestamp(50)).hasValue(new TimestampOffset(100, 0));
        assertThat(log.offsetForTimestamp(250)).hasValue(new TimestampOffset(300, 1));
        assertThat(log.offsetForTimestamp(400)).hasValue(new TimestampOffset(400, 3));
        assertThat(log.offsetForTimestamp(401)).isEmpty();
    }

    @Test
    void boundsAreSeparateValuesEqualOnOneNode() {
        log.appendAsLeader(TestBatches.batch(1, "a", "b"), 0);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(TestBatches.batch(1, "a", "b").remaining());
        assertThat(log.segmentCount()).isEqualTo(1);
        LogReadResult result = log.read(0, 100);
        assertThat(result.highWatermark()).isEqualTo(2);
        assertThat(result.logStartOffset()).isZero();
    }

    @Test
    void updateConfigAppliesToTheNextAppend() {
        log.updateConfig(log.config().withMaxMessageBytes(100));
        assertThat(log.config().maxMessageBytes()).isEqualTo(100);
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.sized(1, 200, 1), 0))
                .isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void getOrCreateOfAnExistingLogReturnsItWithTheGivenConfig() {
        LogConfig topicConfig = LogConfig.defaults().withSegmentBytes(1000);
        PartitionLog again = manager.getOrCreate(new TopicPartition("contract", 0), topicConfig);
        assertThat(again).isSameAs(log);
        assertThat(again.config()).isEqualTo(topicConfig);
    }

    @Test
    void everyStorageErrorIsAStorageException() {
        assertThat(List.of(
                        new OffsetOutOfRangeException(1, 0, 0),
                        new InvalidBatchException("x"),
                        new RecordTooLargeException("x"),
                        new OutOfOrderSequenceException("x"),
                        new ProducerFencedException("x"),
                        new LogOfflineException("x"),
                        new DiskFullException("x", null),
                        new CorruptLogException("x")))
                .allMatch(e -> e instanceof StorageException);
    }
}
