package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash tests: the on-disk state a kill -9 or a bad disk can leave, and what recovery must make of it. Each
 * variant is restored from an in-memory image of the files, then the log is opened as after an unclean stop.
 */
class LogRecoveryTest extends LogTestSupport {

    private static final LogConfig CONFIG =
            LogConfig.defaults().withSegmentIndexBytes(4096).withIndexIntervalBytes(100);

    /** Appends batches of 1..3 records without closing; returns the file positions where each batch starts. */
    private List<Integer> writeUnflushedLog(int batches) throws IOException {
        open(CONFIG);
        List<Integer> starts = new ArrayList<>();
        int position = 0;
        for (int i = 0; i < batches; i++) {
            starts.add(position);
            ByteBuffer batch = i % 3 == 0
                    ? TestBatches.batch(1000 + i, "v" + i + "a", "v" + i + "b")
                    : TestBatches.batch(1000 + i, "v" + i);
            position += batch.remaining();
            log.appendAsLeader(batch, 0);
        }
        starts.add(position);
        return starts;
    }

    private long nextOffsetAfterBatches(int batches) {
        long offset = 0;
        for (int i = 0; i < batches; i++) {
            offset += i % 3 == 0 ? 2 : 1;
        }
        return offset;
    }

    private void assertRecoveredToBatches(int keptBatches) {
        long end = nextOffsetAfterBatches(keptBatches);
        assertThat(log.logEndOffset()).isEqualTo(end);
        List<String> values = end == 0 ? List.of() : TestBatches.readAll(log, 0);
        assertThat(values).hasSize((int) end);
        AppendResult after = log.appendAsLeader(TestBatches.batch(5000, "after"), 0);
        assertThat(after.firstOffset()).isEqualTo(end);
        assertThat(TestBatches.readAll(log, end)).containsExactly("after");
    }

    @Test
    void cuttingTheLastBatchAtEveryBytePositionKeepsExactlyThePrefix() throws IOException {
        List<Integer> starts = writeUnflushedLog(6);
        DirectoryImage image = DirectoryImage.of(logDir());
        byte[] logBytes = image.file(LogFiles.logFile(logDir(), 0).getFileName().toString());
        int lastStart = starts.get(5);
        for (int cut = lastStart; cut < logBytes.length; cut++) {
            image.restoreTo(logDir());
            Files.write(LogFiles.logFile(logDir(), 0), java.util.Arrays.copyOf(logBytes, cut));
            reopenAfterCrash(CONFIG);
            assertRecoveredToBatches(5);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void aFlippedByteCutsTheLogAtTheBatchHoldingIt(long seed) throws IOException {
        List<Integer> starts = writeUnflushedLog(8);
        DirectoryImage image = DirectoryImage.of(logDir());
        Random random = new Random(seed);
        for (int round = 0; round < 10; round++) {
            image.restoreTo(logDir());
            byte[] bytes =
                    image.file(LogFiles.logFile(logDir(), 0).getFileName().toString());
            int position = random.nextInt(bytes.length);
            bytes[position] ^= (byte) (1 + random.nextInt(255));
            Files.write(LogFiles.logFile(logDir(), 0), bytes);
            int batch = batchHolding(starts, position);
            int inBatch = position - starts.get(batch);
            boolean leaderEpochField =
                    inBatch >= RecordBatch.PARTITION_LEADER_EPOCH_OFFSET && inBatch < RecordBatch.MAGIC_OFFSET;
            reopenAfterCrash(CONFIG);
            String context = "seed " + seed + " round " + round + " flipped byte " + position;
            assertThat(log.logEndOffset()).as(context).isEqualTo(nextOffsetAfterBatches(leaderEpochField ? 8 : batch));
            assertRecoveredToBatches(leaderEpochField ? 8 : batch);
        }
    }

    private static int batchHolding(List<Integer> starts, int position) {
        int batch = 0;
        while (starts.get(batch + 1) <= position) {
            batch++;
        }
        return batch;
    }

    @Test
    void aTornBatchInAnOlderSegmentDropsTheSegmentsAfterIt() throws IOException {
        LogConfig config = CONFIG.withSegmentBytes(200);
        open(config);
        appendValues(12);
        assertThat(log.segmentCount()).isGreaterThan(3);
        long secondBase = LogFiles.offsetsOf(logDir(), LogFiles.LOG_SUFFIX)[1];
        Path second = LogFiles.logFile(logDir(), secondBase);
        Files.write(second, java.util.Arrays.copyOf(Files.readAllBytes(second), (int) Files.size(second) - 3));
        Files.deleteIfExists(LogFiles.recoveryPointFile(logDir()));

        reopenAfterCrash(config);

        assertThat(log.segmentCount()).isEqualTo(2);
        long end = log.logEndOffset();
        assertThat(end).isGreaterThan(secondBase);
        assertThat(TestBatches.readAll(log, 0)).hasSize((int) end);
        appendValues(1);
        assertThat(log.logEndOffset()).isEqualTo(end + 1);
    }

    @Test
    void missingIndexFilesAreRebuilt() throws IOException {
        LogConfig config = CONFIG.withSegmentBytes(400);
        open(config);
        appendValues(30);
        log.close();
        for (long base : LogFiles.offsetsOf(logDir(), LogFiles.LOG_SUFFIX)) {
            Files.delete(LogFiles.offsetIndexFile(logDir(), base));
            Files.delete(LogFiles.timeIndexFile(logDir(), base));
        }
        open(config);
        for (long base : LogFiles.offsetsOf(logDir(), LogFiles.LOG_SUFFIX)) {
            assertThat(LogFiles.offsetIndexFile(logDir(), base)).exists();
        }
        assertEveryOffsetReadable(30);
    }

    @Test
    void damagedIndexFilesAreDetectedOnFirstUseAndRebuilt() throws IOException {
        LogConfig config = CONFIG.withSegmentBytes(600);
        open(config);
        appendValues(40);
        log.close();
        Random random = new Random(7);
        for (long base : LogFiles.offsetsOf(logDir(), LogFiles.LOG_SUFFIX)) {
            Path index = LogFiles.offsetIndexFile(logDir(), base);
            byte[] garbage = new byte[(int) Files.size(index)];
            random.nextBytes(garbage);
            Files.write(index, garbage);
            Files.write(
                    LogFiles.timeIndexFile(logDir(), base),
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        }
        open(config);
        assertEveryOffsetReadable(40);
        assertThat(log.offsetForTimestamp(0)).hasValue(new TimestampOffset(clock.milliseconds(), 0));
    }

    @Test
    void garbageIndexAfterACrashIsRebuiltByRecovery() throws IOException {
        writeUnflushedLog(10);
        Files.write(LogFiles.offsetIndexFile(logDir(), 0), new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        reopenAfterCrash(CONFIG);
        assertRecoveredToBatches(10);
    }

    @Test
    void aCorruptBatchBelowTheRecoveryPointIsReportedNotCutAway() throws IOException {
        List<Integer> starts = writeUnflushedLog(6);
        log.flush();
        log.writeCheckpointIfMoved();
        Path file = LogFiles.logFile(logDir(), 0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[starts.get(2) + RecordBatch.RECORDS_OFFSET + 1] ^= 0x10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> reopenAfterCrash(CONFIG))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("below the recovery point");
        assertThat(Files.size(file)).as("flushed data must not be truncated").isEqualTo(bytes.length);
        log = null;
    }

    @Test
    void aCorruptBatchAboveTheRecoveryPointIsCut() throws IOException {
        List<Integer> starts = writeUnflushedLog(3);
        log.flush();
        log.writeCheckpointIfMoved();
        for (int i = 3; i < 6; i++) {
            log.appendAsLeader(TestBatches.batch(1000 + i, "w" + i), 0);
        }
        Path file = LogFiles.logFile(logDir(), 0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[starts.get(3) + RecordBatch.RECORDS_OFFSET + 1] ^= 0x10;
        Files.write(file, bytes);

        reopenAfterCrash(CONFIG);
        assertRecoveredToBatches(3);
    }

    private void assertEveryOffsetReadable(int count) {
        for (long offset = 0; offset < count; offset++) {
            List<RecordBatch> batches = TestBatches.batches(log.read(offset, 1).records());
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).baseOffset()).isEqualTo(offset);
        }
    }
}
