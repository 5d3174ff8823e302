package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("my-events", 3);

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private LogManager manager;

    private LogManager open() {
        manager = LogManager.open(dataDir, LogConfig.defaults(), clock, 2);
        return manager;
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void partitionsAreCreatedInTheirOwnDirectoryAndFoundAgainAfterRestart() {
        open();
        manager.getOrCreate(A, LogConfig.defaults()).appendAsLeader(TestBatches.batch(1, "a"), 0);
        manager.getOrCreate(B, LogConfig.defaults());
        assertThat(dataDir.resolve("orders-0")).isDirectory();
        assertThat(dataDir.resolve("my-events-3")).isDirectory();
        manager.close();
        assertThat(LogFiles.cleanShutdownFile(dataDir)).exists();

        open();
        assertThat(LogFiles.cleanShutdownFile(dataDir)).doesNotExist();
        assertThat(manager.all()).extracting(PartitionLog::topicPartition).containsExactlyInAnyOrder(A, B);
        assertThat(manager.get(A).orElseThrow().logEndOffset()).isEqualTo(1);
        assertThat(manager.get(new TopicPartition("nope", 0))).isEmpty();
    }

    @Test
    void getOrCreateReturnsTheSameLog() {
        open();
        assertThat(manager.getOrCreate(A, LogConfig.defaults())).isSameAs(manager.getOrCreate(A, LogConfig.defaults()));
    }

    @Test
    void deleteClosesTheLogAndRemovesItsFiles() {
        open();
        manager.getOrCreate(A, LogConfig.defaults()).appendAsLeader(TestBatches.batch(1, "a"), 0);
        manager.delete(A);
        assertThat(dataDir.resolve("orders-0")).doesNotExist();
        assertThat(manager.get(A)).isEmpty();
        assertThat(manager.getOrCreate(A, LogConfig.defaults()).logEndOffset()).isZero();
    }

    @Test
    void listenersHearTheNewHighWatermarkAfterTheAppendIsReadable() {
        open();
        List<Long> heard = new CopyOnWriteArrayList<>();
        manager.addListener((tp, hw) -> {
            heard.add(hw);
            assertThat(manager.get(tp).orElseThrow().read(hw - 1, 100).records().sizeInBytes())
                    .isPositive();
        });
        PartitionLog log = manager.getOrCreate(A, LogConfig.defaults());
        log.appendAsLeader(TestBatches.batch(1, "a", "b"), 0);
        log.appendAsLeader(TestBatches.batch(1, "c"), 0);
        assertThat(heard).containsExactly(2L, 3L);
    }

    @Test
    void anUncleanStopIsRecoveredAndIdempotentRetriesAreStillDuplicates() {
        open();
        PartitionLog log = manager.getOrCreate(A, LogConfig.defaults());
        log.appendAsLeader(TestBatches.batch(1, "x"), 0);
        AppendResult original = log.appendAsLeader(TestBatches.idempotent(99, (short) 0, 0, 1, "k"), 0);
        // no close: the process "dies" here
        manager = null;

        open();
        AppendResult retry =
                manager.get(A).orElseThrow().appendAsLeader(TestBatches.idempotent(99, (short) 0, 0, 1, "k"), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
    }

    @Test
    void aPartitionWithCorruptFlushedDataIsOfflineWhileOthersWork() throws IOException {
        open();
        PartitionLog a = manager.getOrCreate(A, LogConfig.defaults());
        for (int i = 0; i < 5; i++) {
            a.appendAsLeader(TestBatches.batch(1, "value-" + i), 0);
        }
        manager.getOrCreate(B, LogConfig.defaults()).appendAsLeader(TestBatches.batch(1, "b"), 0);
        a.flush();
        manager.flushDue();
        Path file = LogFiles.logFile(dataDir.resolve("orders-0"), 0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        manager = null;

        open();
        assertThat(manager.offlinePartitions()).containsOnlyKeys(A);
        assertThatThrownBy(() -> manager.get(A)).isInstanceOf(LogOfflineException.class);
        assertThatThrownBy(() -> manager.getOrCreate(A, LogConfig.defaults())).isInstanceOf(LogOfflineException.class);
        assertThat(manager.get(B)
                        .orElseThrow()
                        .appendAsLeader(TestBatches.batch(1, "b2"), 0)
                        .firstOffset())
                .isEqualTo(1);
        assertThat(Files.size(file)).isEqualTo(bytes.length);
    }

    @Test
    void anIoErrorTakesOnePartitionOfflineAndOthersKeepWorking() throws IOException {
        open();
        LogConfig tiny = LogConfig.defaults().withSegmentBytes(100);
        PartitionLog a = manager.getOrCreate(A, tiny);
        PartitionLog b = manager.getOrCreate(B, tiny);
        a.appendAsLeader(TestBatches.batch(1, "a"), 0);
        deleteRecursively(dataDir.resolve("orders-0"));

        assertThatThrownBy(() -> a.appendAsLeader(TestBatches.batch(1, "a2"), 0))
                .isInstanceOf(LogOfflineException.class);
        assertThatThrownBy(() -> a.read(0, 100)).isInstanceOf(LogOfflineException.class);
        assertThat(b.appendAsLeader(TestBatches.batch(1, "b"), 0).firstOffset()).isZero();
        assertThat(b.appendAsLeader(TestBatches.batch(1, "b"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void retentionAndFlushAreAppliedToEveryLog() {
        LogConfig config = LogConfig.defaults().withSegmentBytes(100).withRetentionMs(1000);
        open();
        PartitionLog a = manager.getOrCreate(A, config);
        for (int i = 0; i < 4; i++) {
            a.appendAsLeader(TestBatches.batch(clock.milliseconds(), "value-" + i), 0);
        }
        manager.flushDue();
        assertThat(a.segmentCount()).isEqualTo(4);
        assertThat(a.recoveryPoint()).as("rolled segments are flushed").isEqualTo(4);
        clock.advanceMillis(1001);
        manager.enforceRetention();
        assertThat(a.segmentCount()).isEqualTo(1);
        assertThat(a.logStartOffset()).isEqualTo(3);
    }

    @Test
    void theFlushCheckVisitsOnlyLogsWithFlushWork() {
        open();
        PartitionLog a = manager.getOrCreate(A, LogConfig.defaults().withSegmentBytes(100));
        PartitionLog b = manager.getOrCreate(B, LogConfig.defaults());
        assertThat(manager.awaitingFlushCheck()).as("new logs").containsExactlyInAnyOrder(A, B);
        manager.flushDue();
        assertThat(manager.awaitingFlushCheck()).isEmpty();

        a.appendAsLeader(TestBatches.batch(1, "first"), 0);
        b.appendAsLeader(TestBatches.batch(1, "b"), 0);
        assertThat(manager.awaitingFlushCheck()).as("appends alone").isEmpty();

        a.appendAsLeader(TestBatches.batch(1, "rolls the segment"), 0);
        assertThat(manager.awaitingFlushCheck()).containsExactly(A);
        manager.flushDue();
        assertThat(a.recoveryPoint())
                .as("the rolled segment is flushed (and the active one with it)")
                .isEqualTo(2);
        assertThat(checkpointOfA()).isEqualTo(2);
        assertThat(manager.awaitingFlushCheck())
                .as("a check does not ask for another")
                .isEmpty();
    }

    @Test
    void signalsWhenAFlushCheckIsWantedAndSaysWhetherTheNextCheckIsNeeded() {
        open();
        AtomicInteger signals = new AtomicInteger();
        manager.whenFlushCheckWanted(signals::incrementAndGet);
        assertThat(signals).as("nothing wanted yet").hasValue(0);

        PartitionLog a = manager.getOrCreate(A, LogConfig.defaults().withSegmentBytes(100));
        assertThat(signals).as("a new log").hasValue(1);
        assertThat(manager.flushDue()).as("nothing left after checking it").isFalse();

        a.appendAsLeader(TestBatches.batch(1, "first"), 0);
        assertThat(signals).as("an append alone").hasValue(1);
        a.appendAsLeader(TestBatches.batch(1, "rolls the segment"), 0);
        assertThat(signals).as("a roll").hasValue(2);
        assertThat(manager.flushDue()).isFalse();

        manager.getOrCreate(B, LogConfig.defaults().withFlushMs(1000));
        assertThat(manager.flushDue()).as("a finite flush.ms wants every check").isTrue();
    }

    @Test
    void aSignalRegisteredWhileACheckIsWantedRunsAtOnce() {
        open().getOrCreate(A, LogConfig.defaults());
        AtomicInteger signals = new AtomicInteger();

        manager.whenFlushCheckWanted(signals::incrementAndGet);

        assertThat(signals).hasValue(1);
    }

    @Test
    void aCheckpointLeftBehindByAFlushIsWrittenByTheNextCheck() {
        open();
        PartitionLog a = manager.getOrCreate(A, LogConfig.defaults().withFlushMessages(2));
        manager.flushDue();
        a.appendAsLeader(TestBatches.batch(1, "one"), 0);
        assertThat(manager.awaitingFlushCheck()).isEmpty();
        a.appendAsLeader(TestBatches.batch(1, "two"), 0);
        assertThat(a.recoveryPoint()).as("flush.messages flushed on append").isEqualTo(2);
        assertThat(checkpointOfA()).isZero();
        manager.flushDue();
        assertThat(checkpointOfA()).isEqualTo(2);
    }

    @Test
    void aFiniteFlushMsFlushesByTimeAloneIncludingAfterAConfigChange() {
        open();
        PartitionLog a = manager.getOrCreate(A, LogConfig.defaults().withFlushMs(1000));
        PartitionLog b = manager.getOrCreate(B, LogConfig.defaults());
        manager.flushDue();
        a.appendAsLeader(TestBatches.batch(1, "a"), 0);
        b.appendAsLeader(TestBatches.batch(1, "b"), 0);
        manager.getOrCreate(B, LogConfig.defaults().withFlushMs(1000));
        manager.flushDue();
        assertThat(a.recoveryPoint()).as("not due yet").isZero();
        assertThat(b.recoveryPoint()).isZero();

        clock.advanceMillis(1000);
        manager.flushDue();
        assertThat(a.recoveryPoint()).isEqualTo(1);
        assertThat(b.recoveryPoint()).isEqualTo(1);
        assertThat(manager.awaitingFlushCheck())
                .as("due by time at every check")
                .containsExactlyInAnyOrder(A, B);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a looping check never sees interrupts
    void aCheckEndsWhenEveryLogItVisitsStaysDue() {
        open();
        LogConfig timed = LogConfig.defaults().withFlushMs(1000);
        for (int p = 0; p < 200; p++) {
            manager.getOrCreate(new TopicPartition("timed", p), timed);
        }
        manager.flushDue();
        assertThat(manager.awaitingFlushCheck()).hasSize(200);
    }

    @Test
    void aTruncationRewritesTheCheckpointAtTheNextCheck() {
        open();
        PartitionLog a = aWithThreeRecords();
        a.flush();
        manager.flushDue();
        assertThat(checkpointOfA()).isEqualTo(3);

        a.truncateTo(1);
        assertThat(manager.awaitingFlushCheck()).containsExactly(A);
        manager.flushDue();
        assertThat(checkpointOfA()).isEqualTo(1);
    }

    @Test
    void logsRecoveredAtStartUpAreCheckedOnce() {
        open();
        aWithThreeRecords();
        manager = null; // a crash: no flush, no checkpoint

        open();
        assertThat(manager.awaitingFlushCheck()).containsExactly(A);
        manager.flushDue();
        assertThat(checkpointOfA()).isEqualTo(3);
        assertThat(manager.awaitingFlushCheck()).isEmpty();
    }

    @Test
    void aDeletedLogIsNoLongerChecked() {
        open();
        manager.getOrCreate(A, LogConfig.defaults().withFlushMs(1000));
        manager.flushDue();
        assertThat(manager.awaitingFlushCheck()).containsExactly(A);
        manager.delete(A);
        assertThat(manager.awaitingFlushCheck()).isEmpty();
    }

    private PartitionLog aWithThreeRecords() {
        PartitionLog a = manager.getOrCreate(A, LogConfig.defaults());
        for (int i = 0; i < 3; i++) {
            a.appendAsLeader(TestBatches.batch(1, "v" + i), 0);
        }
        return a;
    }

    private long checkpointOfA() {
        return RecoveryPointCheckpoint.read(dataDir.resolve("orders-0"));
    }

    @Test
    void partitionsOpenWithoutHoldingAFileHandleEach() throws IOException {
        open();
        for (int p = 0; p < 300; p++) {
            PartitionLog log = manager.getOrCreate(new TopicPartition("t", p), LogConfig.defaults());
            if (p % 10 == 9) {
                log.appendAsLeader(TestBatches.batch(1, "p" + p), 0);
            }
        }
        manager.close();

        long fdsBefore = openFileDescriptors();
        open();
        long fdsAfter = openFileDescriptors();
        assertThat(manager.all()).hasSize(300);
        assertThat(fdsAfter - fdsBefore).as("file handles held after loading").isLessThan(30);
        assertThat(manager.get(new TopicPartition("t", 299)).orElseThrow().logEndOffset())
                .isEqualTo(1);
    }

    @Test
    void partitionsRecoveredAfterACrashDoNotHoldAFileHandleEither() throws IOException {
        open();
        for (int p = 0; p < 200; p++) {
            manager.getOrCreate(new TopicPartition("t", p), LogConfig.defaults())
                    .appendAsLeader(TestBatches.batch(1, "p" + p), 0);
        }
        LogManager crashed = manager; // crash: no close, no clean-shutdown marker; kept reachable so the
        manager = null; // garbage collector does not close its handles during the count below

        // the crashed manager's handles stay open in this JVM, so count only those the new one adds
        long fdsBefore = openFileDescriptorsInto(dataDir);
        open();
        long fdsAfter = openFileDescriptorsInto(dataDir);
        assertThat(manager.all()).hasSize(200);
        assertThat(fdsAfter - fdsBefore).as("file handles held after recovery").isLessThan(20);
        assertThat(manager.get(new TopicPartition("t", 7))
                        .orElseThrow()
                        .appendAsLeader(TestBatches.batch(1, "x"), 0)
                        .firstOffset())
                .isEqualTo(1);
        assertThat(crashed.all()).hasSize(200);
    }

    private static long openFileDescriptorsInto(Path dir) throws IOException {
        String prefix = dir.toRealPath().toString();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().startsWith(prefix);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    static long openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
