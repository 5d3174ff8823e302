package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk faults injected under one partition while another keeps working: a full disk refuses the append (the
 * partial bytes are cut, the log stays online and takes appends again once there is space), a failing fsync takes
 * the partition offline loudly, a read error fails that read only. Acknowledged records survive every case and
 * nothing half-written is ever served, before or after a restart.
 */
class DiskFaultTest {

    private static final TopicPartition SICK = new TopicPartition("sick", 0);
    private static final TopicPartition WELL = new TopicPartition("well", 0);
    private static final LogConfig CONFIG = LogConfig.defaults().withFlushMessages(1);

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private final FaultyFiles files = new FaultyFiles();
    private LogManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private PartitionLog log(TopicPartition tp) {
        return manager.getOrCreate(tp, CONFIG);
    }

    private Path dir(TopicPartition tp) {
        return LogFiles.partitionDir(dataDir, tp);
    }

    private void appendValues(TopicPartition tp, String... values) {
        for (String v : values) {
            log(tp).appendAsLeader(TestBatches.batch(clock.milliseconds(), v), 0);
        }
    }

    private void restart(boolean clean) {
        if (clean) {
            manager.close();
        }
        manager = LogManager.open(StorageFiles.real(), dataDir, CONFIG, clock, 1);
    }

    @Test
    void aFullDiskRefusesTheAppendCutsItsBytesAndTheLogTakesAppendsAgainOnceThereIsSpace() throws IOException {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a", "b");
        long sizeBefore = Files.size(LogFiles.logFile(dir(SICK), 0));
        files.inject(dir(SICK), FaultyFiles.Fault.DISK_FULL);

        assertThatThrownBy(() -> appendValues(SICK, "lost")).isInstanceOf(DiskFullException.class);

        assertThat(Files.size(LogFiles.logFile(dir(SICK), 0)))
                .as("partial write cut")
                .isEqualTo(sizeBefore);
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a", "b");
        appendValues(WELL, "w1");
        assertThat(TestBatches.readAll(log(WELL), 0)).containsExactly("w1");
        files.inject(dir(SICK), FaultyFiles.Fault.NONE);
        appendValues(SICK, "c");
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a", "b", "c");
        assertThat(files.injected()).isPositive();

        restart(true);
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a", "b", "c");
    }

    @Test
    void aFullDiskLeavesNothingHalfWrittenForAnUncleanRestart() {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a");
        files.inject(dir(SICK), FaultyFiles.Fault.DISK_FULL);
        assertThatThrownBy(() -> appendValues(SICK, "lost")).isInstanceOf(DiskFullException.class);

        restart(false);

        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a");
        appendValues(SICK, "b");
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a", "b");
    }

    @Test
    void aFailingFsyncTakesOnlyThatPartitionOfflineAndLosesNothingAcknowledged() {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a", "b");
        appendValues(WELL, "w1");
        files.inject(dir(SICK), FaultyFiles.Fault.FSYNC_FAILS);

        assertThatThrownBy(() -> appendValues(SICK, "unacknowledged")).isInstanceOf(LogOfflineException.class);
        assertThatThrownBy(() -> log(SICK).read(0, 1024)).isInstanceOf(LogOfflineException.class);
        appendValues(WELL, "w2");
        assertThat(TestBatches.readAll(log(WELL), 0)).containsExactly("w1", "w2");

        files.inject(dir(SICK), FaultyFiles.Fault.NONE);
        restart(false);
        assertThat(TestBatches.readAll(log(SICK), 0)).startsWith("a", "b").hasSizeLessThanOrEqualTo(3);
        assertThat(TestBatches.readAll(log(WELL), 0)).containsExactly("w1", "w2");
    }

    @Test
    void aReadErrorFailsThatReadOnlyAndReadsWorkAgainWhenItClears() {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a");
        appendValues(WELL, "w1");
        manager.close();
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        files.inject(dir(SICK), FaultyFiles.Fault.READ_FAILS);

        assertThatThrownBy(() -> TestBatches.readAll(log(SICK), 0)).isInstanceOf(StorageException.class);
        assertThat(TestBatches.readAll(log(WELL), 0)).containsExactly("w1");

        files.inject(dir(SICK), FaultyFiles.Fault.NONE);
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a");
    }

    @Test
    void aSegmentFileRemovedUnderTheRunningLogTakesThatPartitionOfflineLoudly() throws IOException {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a");
        appendValues(WELL, "w1");
        Files.delete(LogFiles.logFile(dir(SICK), 0));

        manager.checkFiles();

        assertThat(manager.offlinePartitions()).containsOnlyKeys(SICK);
        assertThat(manager.offlinePartitions().get(SICK).getMessage()).contains("was removed");
        assertThatThrownBy(() -> appendValues(SICK, "b")).isInstanceOf(LogOfflineException.class);
        appendValues(WELL, "w2");
        assertThat(TestBatches.readAll(log(WELL), 0)).containsExactly("w1", "w2");
    }

    @Test
    void indexFilesRemovedUnderTheRunningLogAreRebuilt() throws IOException {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a", "b");
        log(SICK).roll();
        appendValues(SICK, "c");
        Path index = LogFiles.offsetIndexFile(dir(SICK), 0);
        Path timeIndex = LogFiles.timeIndexFile(dir(SICK), 0);
        assertThat(index).exists();
        Files.delete(index);
        Files.delete(timeIndex);

        manager.checkFiles();

        assertThat(index).exists();
        assertThat(timeIndex).exists();
        assertThat(manager.offlinePartitions()).isEmpty();
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a", "b", "c");
        assertThat(TestBatches.readAll(log(SICK), 1)).containsExactly("b", "c");
        restart(true);
        assertThat(TestBatches.readAll(log(SICK), 1)).containsExactly("b", "c");
    }

    @Test
    void aFullDiskWhileTheIndexIsFirstMappedRefusesTheAppendWithoutTakingTheLogOffline() {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a");
        manager.close();
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        PartitionLog log = log(SICK);
        files.inject(dir(SICK), FaultyFiles.Fault.DISK_FULL);

        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.batch(clock.milliseconds(), "refused"), 0))
                .isInstanceOf(DiskFullException.class);

        assertThat(manager.offlinePartitions()).isEmpty();
        files.inject(dir(SICK), FaultyFiles.Fault.NONE);
        log.appendAsLeader(TestBatches.batch(clock.milliseconds(), "b"), 0);
        assertThat(TestBatches.readAll(log, 0)).containsExactly("a", "b");
    }

    @Test
    void theFileCheckLeavesTheLazilyCreatedIndexOfTheActiveSegmentAlone() {
        manager = LogManager.open(files, dataDir, CONFIG, clock, 1);
        appendValues(SICK, "a");
        files.inject(dir(SICK), FaultyFiles.Fault.DISK_FULL);

        manager.checkFiles();

        assertThat(manager.offlinePartitions()).isEmpty();
        files.inject(dir(SICK), FaultyFiles.Fault.NONE);
        appendValues(SICK, "b");
        assertThat(TestBatches.readAll(log(SICK), 0)).containsExactly("a", "b");
    }
}
