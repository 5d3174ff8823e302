package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LogRetentionTest extends LogTestSupport {

    private final int batchSize = TestBatches.batch(0, "v0").remaining();

    @Test
    void segmentsOlderThanRetentionMsAreDeletedFromTheStart() throws IOException {
        open(LogConfig.defaults().withSegmentBytes(batchSize * 2L).withRetentionMs(10_000));
        appendValues(4);
        clock.advanceMillis(5_000);
        appendValues(2);
        assertThat(log.segmentCount()).isEqualTo(3);

        clock.advanceMillis(5_001);
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(Files.exists(LogFiles.logFile(logDir(), 0))).isFalse();
        assertThat(TestBatches.readAll(log, 4)).containsExactly("v4", "v5");
        assertThatThrownBy(() -> log.read(3, 100)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void theActiveSegmentIsNeverDeleted() throws IOException {
        open(LogConfig.defaults().withRetentionMs(1));
        appendValues(3);
        clock.advanceMillis(1_000_000);
        assertThat(log.deleteOldSegments()).isZero();
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void oldestSegmentsAreDeletedWhileTheLogExceedsRetentionBytes() throws IOException {
        open(LogConfig.defaults().withSegmentBytes(batchSize * 2L).withRetentionBytes(batchSize * 3L));
        appendValues(7);
        assertThat(log.segmentCount()).isEqualTo(4);
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.sizeInBytes()).isLessThanOrEqualTo(batchSize * 3L);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void negativeRetentionKeepsEverything() throws IOException {
        open(LogConfig.defaults()
                .withSegmentBytes(batchSize)
                .withRetentionMs(-1)
                .withRetentionBytes(-1));
        appendValues(5);
        clock.advanceMillis(Long.MAX_VALUE / 4);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void logStartOffsetSurvivesARestart() throws IOException {
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize).withRetentionBytes(batchSize);
        open(config);
        appendValues(4);
        log.deleteOldSegments();
        long start = log.logStartOffset();
        assertThat(start).isEqualTo(3);
        reopenAfterClose(config);
        assertThat(log.logStartOffset()).isEqualTo(start);
        assertThat(log.logEndOffset()).isEqualTo(4);
    }
}
