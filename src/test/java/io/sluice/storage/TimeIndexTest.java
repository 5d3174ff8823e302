package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

    @TempDir
    Path dir;

    private TimeIndex index(int maxSize) {
        return new TimeIndex(dir.resolve("00000000000000000050.timeindex"), 50, maxSize, true);
    }

    @Test
    void onlyIncreasingTimestampsAreRecorded() {
        TimeIndex index = index(1200);
        index.maybeAppend(1000, 50, false);
        index.maybeAppend(900, 52, false);
        index.maybeAppend(1000, 53, false);
        index.maybeAppend(1500, 55, false);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(1500, 55));
    }

    @Test
    void lookupReturnsTheLastEntryAtOrBeforeTheTimestamp() {
        TimeIndex index = index(1200);
        index.maybeAppend(1000, 51, false);
        index.maybeAppend(2000, 60, false);
        assertThat(index.lookup(999)).isEqualTo(new TimestampOffset(-1, 50));
        assertThat(index.lookup(1000)).isEqualTo(new TimestampOffset(1000, 51));
        assertThat(index.lookup(1999)).isEqualTo(new TimestampOffset(1000, 51));
        assertThat(index.lookup(5000)).isEqualTo(new TimestampOffset(2000, 60));
    }

    @Test
    void oneSlotIsKeptForTheFinalEntry() {
        TimeIndex index = index(36);
        index.maybeAppend(1, 50, false);
        index.maybeAppend(2, 51, false);
        assertThat(index.isFull()).isTrue();
        index.maybeAppend(3, 52, true);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(3, 52));
    }

    @Test
    void truncateDropsEntriesOfRemovedOffsets() {
        TimeIndex index = index(1200);
        index.maybeAppend(10, 50, false);
        index.maybeAppend(20, 60, false);
        index.maybeAppend(30, 70, false);
        index.truncateTo(60);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(10, 50));
    }

    @Test
    void consistencyCheckRejectsDecreasingTimestamps() {
        TimeIndex index = index(1200);
        index.maybeAppend(10, 50, false);
        index.maybeAppend(20, 60, false);
        assertThat(index.entriesAreConsistent(0)).isTrue();
        index.buffer().putLong(12, 5);
        assertThat(index.entriesAreConsistent(0)).isFalse();
    }
}
