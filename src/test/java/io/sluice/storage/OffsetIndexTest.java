package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.storage.OffsetIndex.OffsetPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {

    @TempDir
    Path dir;

    private OffsetIndex index(boolean writable, int maxSize) {
        return new OffsetIndex(dir.resolve("00000000000000000100.index"), 100, maxSize, writable);
    }

    @Test
    void lookupFindsTheLargestEntryAtOrBelowTheTarget() {
        OffsetIndex index = index(true, 1024);
        index.append(110, 500);
        index.append(120, 900);
        index.append(135, 1400);
        assertThat(index.lookup(99)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(109)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(110)).isEqualTo(new OffsetPosition(110, 500));
        assertThat(index.lookup(134)).isEqualTo(new OffsetPosition(120, 900));
        assertThat(index.lookup(Long.MAX_VALUE)).isEqualTo(new OffsetPosition(135, 1400));
        assertThat(index.lastOffset()).isEqualTo(135);
    }

    @Test
    void fileIsNotMappedUntilFirstUse() throws IOException {
        Files.createFile(dir.resolve("00000000000000000100.index"));
        OffsetIndex index = index(true, 1024);
        assertThat(index.isMapped()).isFalse();
        assertThat(index.fileLength()).isZero();
        index.lookup(5);
        assertThat(index.isMapped()).isTrue();
        assertThat(index.fileLength()).isEqualTo(1024);
    }

    @Test
    void closeTrimsThePreallocatedFileAndReopenInfersTheEntries() {
        OffsetIndex index = index(true, 1024);
        index.append(101, 10);
        index.append(102, 20);
        index.close();
        assertThat(index.fileLength()).isEqualTo(16);

        OffsetIndex reopened = index(false, 1024);
        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.lookup(102)).isEqualTo(new OffsetPosition(102, 20));
    }

    @Test
    void truncateDropsEntriesAtOrAboveTheOffset() {
        OffsetIndex index = index(true, 1024);
        for (int i = 1; i <= 5; i++) {
            index.append(100 + i * 10, i * 100);
        }
        index.truncateTo(130);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.lastOffset()).isEqualTo(120);
        index.append(125, 250);
        assertThat(index.lookup(129)).isEqualTo(new OffsetPosition(125, 250));
    }

    @Test
    void appendIgnoresOffsetsNotAboveTheLastAndThrowsWhenFull() {
        OffsetIndex index = index(true, 16);
        index.append(101, 10);
        index.append(101, 20);
        assertThat(index.entries()).isEqualTo(1);
        index.append(102, 20);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(103, 30)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void consistencyCheckRejectsUnorderedOrOutOfFileEntries() {
        OffsetIndex index = index(true, 1024);
        index.append(101, 10);
        index.append(105, 50);
        assertThat(index.entriesAreConsistent(100)).isTrue();
        assertThat(index.entriesAreConsistent(50)).isFalse();
        index.buffer().putInt(8, 0);
        assertThat(index.entriesAreConsistent(100)).isFalse();
    }
}
