package io.sluice.storage;

import static io.sluice.storage.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReadResultTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    @Test
    void verifiedBatchesReturnsIntactBatches() throws IOException {
        PartitionLog log =
                PartitionLog.open(TP, dir.resolve("orders-0"), LogConfig.defaults(), new ManualClock(), true);
        try {
            log.appendAsLeader(batch(1000, "a", "b"), 0);
            log.appendAsLeader(batch(1001, "c"), 0);

            assertThat(log.read(0, 1 << 20).verifiedBatches())
                    .extracting(RecordBatch::baseOffset)
                    .containsExactly(0L, 2L);
        } finally {
            log.close();
        }
    }

    @Test
    void bytesDamagedOnDiskAfterTheWriteAreReportedNotServed() throws IOException {
        Path partitionDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(TP, partitionDir, LogConfig.defaults(), new ManualClock(), true);
        try {
            appendTwoBatchesAndDamageTheSecondOnDisk(log, partitionDir);

            assertThatThrownBy(() -> log.read(0, 1 << 20).verifiedBatches())
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("batch at offset 2 is damaged on disk");
        } finally {
            log.close();
        }
    }

    @Test
    void verifiedBytesAreTheFilesBytesReadIntoTheCallersBuffer() throws IOException {
        PartitionLog log =
                PartitionLog.open(TP, dir.resolve("orders-0"), LogConfig.defaults(), new ManualClock(), true);
        try {
            log.appendAsLeader(batch(1000, "a", "b"), 0);
            log.appendAsLeader(batch(1001, "c"), 0);
            CountingReadBuffers buffers = new CountingReadBuffers();

            ReadBuffer read = log.read(0, 1 << 20).verifiedBytes(buffers);

            assertThat(read.bytes()).isEqualTo(log.read(0, 1 << 20).records().readFully());
            assertThat(read.bytes().isDirect()).isTrue();
            assertThat(buffers.outstanding()).isEqualTo(1);
            read.release();
            assertThat(buffers.outstanding()).isZero();
        } finally {
            log.close();
        }
    }

    @Test
    void damagedBytesReadIntoTheCallersBufferAreReportedAndTheBufferGivenBack() throws IOException {
        Path partitionDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(TP, partitionDir, LogConfig.defaults(), new ManualClock(), true);
        try {
            appendTwoBatchesAndDamageTheSecondOnDisk(log, partitionDir);
            CountingReadBuffers buffers = new CountingReadBuffers();

            assertThatThrownBy(() -> log.read(0, 1 << 20).verifiedBytes(buffers))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("batch at offset 2 is damaged on disk");
            assertThat(buffers.allocated()).isEqualTo(1);
            assertThat(buffers.outstanding()).isZero();
        } finally {
            log.close();
        }
    }

    @Test
    void anEmptyReadTakesNoBuffer() throws IOException {
        PartitionLog log =
                PartitionLog.open(TP, dir.resolve("orders-0"), LogConfig.defaults(), new ManualClock(), true);
        try {
            CountingReadBuffers buffers = new CountingReadBuffers();

            assertThat(log.read(0, 1 << 20).verifiedBytes(buffers).size()).isZero();
            assertThat(buffers.allocated()).isZero();
        } finally {
            log.close();
        }
    }

    /** Offsets 0-1 in a sound batch, offset 2 in a batch one of whose record bytes is then changed in the file. */
    private static void appendTwoBatchesAndDamageTheSecondOnDisk(PartitionLog log, Path partitionDir)
            throws IOException {
        log.appendAsLeader(batch(1000, "a", "b"), 0);
        int secondBatchStart = log.read(0, 1 << 20).records().sizeInBytes();
        log.appendAsLeader(batch(1001, "value that rots"), 0);
        try (FileChannel file = FileChannel.open(LogFiles.logFile(partitionDir, 0), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {42}), secondBatchStart + RecordBatch.HEADER_SIZE + 3);
        }
    }
}
