package io.sluice.storage;

import static io.sluice.storage.TestBatches.idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ProducerStateTest extends LogTestSupport {

    private static final long PID = 4242;

    @Test
    void retriedBatchIsADuplicateAnsweredWithItsOriginalOffsets() throws IOException {
        open(LogConfig.defaults());
        appendValues(3);
        AppendResult first = log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a", "b"), 0);
        appendValues(2);
        AppendResult retry = log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a", "b"), 0);

        assertThat(first).isEqualTo(new AppendResult(3, 4, -1, 2, false));
        assertThat(retry).isEqualTo(new AppendResult(3, 4, -1, 2, true));
        assertThat(log.logEndOffset()).as("nothing written for the retry").isEqualTo(7);
    }

    @Test
    void eachOfTheLastFiveBatchesIsRecognisedButNotTheSixthBack() throws IOException {
        open(LogConfig.defaults());
        for (int seq = 0; seq < 6; seq++) {
            log.appendAsLeader(idempotent(PID, (short) 0, seq, 1000, "v" + seq), 0);
        }
        for (int seq = 1; seq < 6; seq++) {
            AppendResult retry = log.appendAsLeader(idempotent(PID, (short) 0, seq, 1000, "v" + seq), 0);
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.firstOffset()).isEqualTo(seq);
        }
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "v0"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void aSequenceGapIsOutOfOrder() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0);
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 0, 2, 1000, "c"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 1, 1000, "b"), 0)
                        .firstOffset())
                .isEqualTo(1);
    }

    @Test
    void aLowerEpochIsFencedAndAHigherEpochMustStartAtZero() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(idempotent(PID, (short) 3, 0, 1000, "a"), 0);
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 2, 1, 1000, "b"), 0))
                .isInstanceOf(ProducerFencedException.class);
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 4, 5, 1000, "b"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(idempotent(PID, (short) 4, 0, 1000, "b"), 0)
                        .duplicate())
                .as("sequence 0 of a new epoch is new data, not a retry of epoch 3")
                .isFalse();
        assertThat(log.isOffline()).isFalse();
    }

    @Test
    void anUnknownProducerMayStartAtAnySequence() throws IOException {
        open(LogConfig.defaults());
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 17, 1000, "a"), 0)
                        .duplicate())
                .isFalse();
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 18, 1000, "b"), 0)
                        .firstOffset())
                .isEqualTo(1);
    }

    @Test
    void stateExpiresAfterProducerIdExpirationMs() throws IOException {
        open(LogConfig.defaults().withProducerIdExpirationMs(60_000));
        log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0);
        clock.advanceMillis(59_999);
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0)
                        .duplicate())
                .isTrue();
        clock.advanceMillis(1);
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0)
                        .duplicate())
                .as("forgotten producer: the batch is new")
                .isFalse();
    }

    @Test
    void duplicateIsRecognisedAfterAKillWithoutClose() throws IOException {
        open(LogConfig.defaults());
        appendValues(2);
        AppendResult original = log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "k1", "k2"), 0);
        appendValues(1);

        reopenAfterCrash(LogConfig.defaults());
        AppendResult retry = log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "k1", "k2"), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(original.lastOffset());
        assertThat(log.logEndOffset()).isEqualTo(5);
    }

    @Test
    void duplicateIsRecognisedAfterACleanRestartFromTheSnapshot() throws IOException {
        open(LogConfig.defaults());
        AppendResult original = log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0);
        log.close();
        assertThat(Files.exists(LogFiles.snapshotFile(logDir(), 1))).isTrue();
        open(LogConfig.defaults());
        AppendResult retry = log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0);
        assertThat(retry).isEqualTo(new AppendResult(original.firstOffset(), original.lastOffset(), -1, 1, true));
    }

    @Test
    void stateIsRebuiltFromAnOlderSnapshotPlusTheLogAfterIt() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0);
        log.roll();
        log.appendAsLeader(idempotent(PID, (short) 0, 1, 1000, "b"), 0);
        log.appendAsLeader(idempotent(PID + 1, (short) 0, 0, 1000, "c"), 0);

        reopenAfterCrash(LogConfig.defaults());
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 1, 1000, "b"), 0)
                        .firstOffset())
                .isEqualTo(1);
        assertThat(log.appendAsLeader(idempotent(PID + 1, (short) 0, 0, 1000, "c"), 0)
                        .firstOffset())
                .isEqualTo(2);
        assertThatThrownBy(() -> log.appendAsLeader(idempotent(PID, (short) 0, 5, 1000, "x"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void aCorruptSnapshotIsIgnoredAndTheLogReplayed() throws IOException {
        open(LogConfig.defaults());
        log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0);
        log.close();
        Files.write(LogFiles.snapshotFile(logDir(), 1), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        open(LogConfig.defaults());
        assertThat(log.appendAsLeader(idempotent(PID, (short) 0, 0, 1000, "a"), 0)
                        .duplicate())
                .isTrue();
    }

    @Test
    void manyDistinctProducersAreCheapToTrackAndSnapshot() throws IOException {
        open(LogConfig.defaults());
        for (int key = 0; key < 20_000; key++) {
            log.appendAsLeader(idempotent(1_000_000 + key, (short) 0, 0, 1000, "x"), 0);
        }
        log.close();
        assertThat(Files.size(LogFiles.snapshotFile(logDir(), 20_000))).isLessThan(20_000L * 60);
        open(LogConfig.defaults());
        assertThat(log.appendAsLeader(idempotent(1_000_000 + 12_345, (short) 0, 0, 1000, "x"), 0))
                .isEqualTo(new AppendResult(12_345, 12_345, -1, 1, true));
    }
}
