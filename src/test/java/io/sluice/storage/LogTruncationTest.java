package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LogTruncationTest extends LogTestSupport {

    private final int batchSize = TestBatches.batch(0, "v0").remaining();

    @Test
    void truncateToInTheActiveSegmentDropsTheTail() throws IOException {
        open(LogConfig.defaults());
        appendValues(5);
        log.truncateTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(TestBatches.readAll(log, 0)).containsExactly("v0", "v1", "v2");
        appendValues(1);
        assertThat(TestBatches.readAll(log, 0)).containsExactly("v0", "v1", "v2", "v3");
    }

    @Test
    void truncateAcrossSegmentsDeletesLaterSegmentsAndReactivatesTheOldOne() throws IOException {
        open(LogConfig.defaults().withSegmentBytes(batchSize * 2L));
        appendValues(7);
        assertThat(log.segmentCount()).isEqualTo(4);
        log.truncateTo(3);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(Files.exists(LogFiles.logFile(logDir(), 4))).isFalse();
        appendValues(3);
        assertThat(TestBatches.readAll(log, 0)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
        reopenAfterClose(log.config());
        assertThat(TestBatches.readAll(log, 0)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
    }

    @Test
    void truncateAtASegmentBoundaryRemovesThatSegment() throws IOException {
        open(LogConfig.defaults().withSegmentBytes(batchSize * 2L));
        appendValues(6);
        log.truncateTo(4);
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.segmentCount()).isEqualTo(2);
        appendValues(1);
        assertThat(TestBatches.readAll(log, 2)).containsExactly("v2", "v3", "v4");
    }

    @Test
    void truncateToTheLogStartEmptiesTheLog() throws IOException {
        open(LogConfig.defaults().withSegmentBytes(batchSize * 2L));
        appendValues(5);
        log.truncateTo(0);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.segmentCount()).isEqualTo(1);
        appendValues(1);
        assertThat(TestBatches.readAll(log, 0)).containsExactly("v0");
    }

    @Test
    void truncateBeyondTheEndIsANoOp() throws IOException {
        open(LogConfig.defaults());
        appendValues(2);
        log.truncateTo(10);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void truncationForgetsProducerStateOfTheRemovedBatches() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(TestBatches.idempotent(7, (short) 0, 0, 1000, "a"), 0);
        log.appendAsLeader(TestBatches.idempotent(7, (short) 0, 1, 1000, "b"), 0);
        log.truncateTo(1);
        AppendResult again = log.appendAsLeader(TestBatches.idempotent(7, (short) 0, 1, 1000, "b"), 0);
        assertThat(again.duplicate()).isFalse();
        assertThat(again.firstOffset()).isEqualTo(1);
        assertThat(log.appendAsLeader(TestBatches.idempotent(7, (short) 0, 0, 1000, "a"), 0)
                        .duplicate())
                .isTrue();
    }
}
