package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand partitions in one log manager: created, closed and reopened without holding a file handle or an
 * index mapping per partition. An integration test because creating 10,000 directories takes tens of seconds on
 * a busy disk; {@link LogManagerTest} checks the same property with a few hundred.
 */
class LogManagerManyPartitionsIT {

    private static final int PARTITIONS = 10_000;

    @TempDir
    Path dataDir;

    @Test
    void tenThousandPartitionsOpenWithoutHoldingAFileHandleEach() throws IOException {
        ManualClock clock = new ManualClock();
        try (LogManager manager = LogManager.open(dataDir, LogConfig.defaults(), clock, 2)) {
            for (int p = 0; p < PARTITIONS; p++) {
                PartitionLog log = manager.getOrCreate(new TopicPartition("t", p), LogConfig.defaults());
                if (p % 100 == 0) {
                    log.appendAsLeader(TestBatches.batch(1, "p" + p), 0);
                }
            }
        }

        long fdsBefore = LogManagerTest.openFileDescriptors();
        try (LogManager manager = LogManager.open(dataDir, LogConfig.defaults(), clock, 2)) {
            long fdsAfter = LogManagerTest.openFileDescriptors();
            assertThat(manager.all()).hasSize(PARTITIONS);
            assertThat(fdsAfter - fdsBefore)
                    .as("file handles held after loading")
                    .isLessThan(100);
            assertThat(manager.get(new TopicPartition("t", 500)).orElseThrow().logEndOffset())
                    .isEqualTo(1);
            assertThat(manager.get(new TopicPartition("t", 501)).orElseThrow().logEndOffset())
                    .isZero();
            PartitionLog last = manager.get(new TopicPartition("t", 9900)).orElseThrow();
            RecordBatch read = TestBatches.batches(last.read(0, 100).records()).get(0);
            assertThat(read.nextOffset()).isEqualTo(1);
            last.appendAsLeader(TestBatches.batch(1, "more"), 0);
            assertThat(last.logEndOffset()).isEqualTo(2);
        }
    }
}
