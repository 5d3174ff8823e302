package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.storage.ProducerStateEntry.BatchMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void entriesRoundTripThroughASnapshotFile() throws IOException {
        List<ProducerStateEntry> entries = List.of(
                new ProducerStateEntry(1, (short) 0, 100, new BatchMetadata[] {new BatchMetadata(0, 4, 10, 14)}),
                new ProducerStateEntry(2, (short) 7, 200, new BatchMetadata[] {
                    new BatchMetadata(0, 0, 1, 1), new BatchMetadata(1, 2, 5, 6)
                }),
                ProducerStateEntry.empty(3, (short) 1, 300));
        Path file = LogFiles.snapshotFile(dir, 15);
        ProducerStateSnapshot.write(file, entries);
        assertThat(ProducerStateSnapshot.read(file)).containsExactlyElementsOf(entries);
        assertThat(Files.exists(LogFiles.tempFile(file))).isFalse();
    }

    @Test
    void aFlippedByteFailsTheChecksum() throws IOException {
        Path file = LogFiles.snapshotFile(dir, 1);
        ProducerStateSnapshot.write(file, List.of(new ProducerStateEntry(9, (short) 0, 5, new BatchMetadata[] {
            new BatchMetadata(0, 0, 0, 0)
        })));
        byte[] bytes = Files.readAllBytes(file);
        bytes[10] ^= 0x40;
        Files.write(file, bytes);
        assertThatThrownBy(() -> ProducerStateSnapshot.read(file)).isInstanceOf(CorruptLogException.class);
    }

    @Test
    void entryKeepsOnlyTheLastFiveBatchesAndANewEpochForgetsTheOldOnes() {
        ProducerStateEntry entry = ProducerStateEntry.empty(1, (short) 0, 0);
        for (int seq = 0; seq < 7; seq++) {
            entry = entry.withBatch((short) 0, new BatchMetadata(seq, seq, seq, seq), 0);
        }
        assertThat(entry.batches()).hasSize(5);
        assertThat(entry.findDuplicate((short) 0, 1, 1)).isEmpty();
        assertThat(entry.findDuplicate((short) 0, 2, 2)).isPresent();
        assertThat(entry.findDuplicate((short) 1, 2, 2)).isEmpty();
        entry = entry.withBatch((short) 1, new BatchMetadata(0, 0, 9, 9), 0);
        assertThat(entry.batches()).hasSize(1);
        assertThat(entry.epoch()).isEqualTo((short) 1);
    }
}
