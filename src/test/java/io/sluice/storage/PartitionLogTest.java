package io.sluice.storage;

import static io.sluice.storage.TestBatches.batch;
import static io.sluice.storage.TestBatches.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private PartitionLog log;

    private PartitionLog open(LogConfig config) throws IOException {
        log = PartitionLog.open(TP, dir.resolve(TP.toString()), config, clock, true);
        return log;
    }

    @AfterEach
    void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void appendAssignsDenseOffsetsAndReadReturnsTheBatches() throws IOException {
        open(LogConfig.defaults());
        AppendResult first = log.appendAsLeader(batch(1000, "a", "b"), 0);
        AppendResult second = log.appendAsLeader(batch(1001, "c"), 0);

        assertThat(first).isEqualTo(new AppendResult(0, 1, -1, 2, false));
        assertThat(second).isEqualTo(new AppendResult(2, 2, -1, 1, false));
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(values(log.read(0, 1 << 20).records())).containsExactly("a", "b", "c");
        assertThat(values(log.read(2, 1 << 20).records())).containsExactly("c");
    }

    @Test
    void readFromTheMiddleOfABatchReturnsTheWholeBatch() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(batch(1000, "a", "b", "c"), 0);
        List<RecordBatch> batches = TestBatches.batches(log.read(1, 1 << 20).records());
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).baseOffset()).isZero();
    }

    @Test
    void readAtTheHighWatermarkIsEmptyAndBeyondIsOutOfRange() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(batch(1000, "a"), 0);
        assertThat(log.read(1, 100).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(2, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void maxBytesLimitsTheBatchesButTheFirstIsAlwaysWhole() throws IOException {
        open(LogConfig.defaults());
        int size = batch(1000, "vX").remaining();
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1000, "v" + i), 0);
        }
        assertThat(values(log.read(0, 1).records())).containsExactly("v0");
        assertThat(values(log.read(0, 2 * size).records())).containsExactly("v0", "v1");
    }

    @Test
    void logAppendTimeStampsTheBatch() throws IOException {
        open(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
        AppendResult result = log.appendAsLeader(batch(5, "a"), 0);
        assertThat(result.logAppendTime()).isEqualTo(clock.milliseconds());
        RecordBatch stored = TestBatches.batches(log.read(0, 1000).records()).get(0);
        assertThat(stored.maxTimestamp()).isEqualTo(clock.milliseconds());
        assertThat(stored.isValid()).isTrue();
    }

    @Test
    void invalidBatchIsRejectedAndNothingWritten() throws IOException {
        open(LogConfig.defaults());
        ByteBuffer bad = batch(1000, "a");
        bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 1));
        assertThatThrownBy(() -> log.appendAsLeader(bad, 0)).isInstanceOf(InvalidBatchException.class);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.appendAsLeader(batch(1000, "b"), 0).firstOffset()).isZero();
    }

    @Test
    void batchAboveMaxMessageBytesIsTooLarge() throws IOException {
        open(LogConfig.defaults().withMaxMessageBytes(200));
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.sized(1, 500, 1000), 0))
                .isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void reopenAfterCloseKeepsEverything() throws IOException {
        open(LogConfig.defaults().withSegmentBytes(300));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(1000 + i, "v" + i), 0);
        }
        int segments = log.segmentCount();
        log.close();
        open(LogConfig.defaults().withSegmentBytes(300));
        assertThat(log.segmentCount()).isEqualTo(segments).isGreaterThan(1);
        assertThat(log.logEndOffset()).isEqualTo(20);
        assertThat(TestBatches.readAll(log, 0)).hasSize(20).startsWith("v0").endsWith("v19");
        assertThat(log.appendAsLeader(batch(2000, "next"), 0).firstOffset()).isEqualTo(20);
        assertThat(Files.exists(LogFiles.recoveryPointFile(dir.resolve(TP.toString()))))
                .isTrue();
    }
}
