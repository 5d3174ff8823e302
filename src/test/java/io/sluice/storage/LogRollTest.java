package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LogRollTest extends LogTestSupport {

    @Test
    void appendPastSegmentBytesRollsANewSegment() throws IOException {
        int batchSize = TestBatches.batch(0, "v0").remaining();
        open(LogConfig.defaults().withSegmentBytes(batchSize * 3L));
        appendValues(3);
        assertThat(log.segmentCount()).isEqualTo(1);
        appendValues(1);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(Files.exists(LogFiles.logFile(logDir(), 3))).isTrue();
        assertThat(TestBatches.readAll(log, 0)).containsExactly("v0", "v1", "v2", "v3");
    }

    @Test
    void segmentOlderThanSegmentMsRollsOnTheNextAppend() throws IOException {
        open(LogConfig.defaults().withSegmentMs(60_000));
        appendValues(2);
        clock.advanceMillis(60_000);
        appendValues(1);
        assertThat(log.segmentCount()).isEqualTo(1);
        clock.advanceMillis(1);
        appendValues(1);
        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void fullOffsetIndexRollsTheSegment() throws IOException {
        open(LogConfig.defaults().withSegmentIndexBytes(32).withIndexIntervalBytes(0));
        appendValues(10);
        assertThat(log.segmentCount()).isGreaterThan(2);
        assertThat(TestBatches.readAll(log, 0)).hasSize(10);
    }

    @Test
    void rollSnapshotsProducerStateAndTrimsTheOldIndexes() throws IOException {
        open(LogConfig.defaults());
        appendValues(3);
        log.roll();
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(Files.exists(LogFiles.snapshotFile(logDir(), 3))).isTrue();
        assertThat(Files.size(LogFiles.offsetIndexFile(logDir(), 0)) % 8).isZero();
        assertThat(Files.size(LogFiles.offsetIndexFile(logDir(), 0))).isLessThan(1024);
        log.roll();
        assertThat(log.segmentCount())
                .as("rolling an empty segment does nothing")
                .isEqualTo(2);
    }

    @Test
    void segmentAgeSurvivesARestartThroughItsFirstBatchTimestamp() throws IOException {
        LogConfig config = LogConfig.defaults().withSegmentMs(60_000);
        open(config);
        appendValues(1);
        reopenAfterClose(config);
        clock.advanceMillis(60_001);
        appendValues(1);
        assertThat(log.segmentCount()).isEqualTo(2);
    }
}
