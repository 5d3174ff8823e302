package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic file check of a running log looks at its segments only when the partition directory's time says an
 * entry may have been removed. Directory times are set by hand relative to the manual clock: "old" is a minute
 * before it, "recent" half a second, so a removal can be made to leave the time exactly as the last check saw it.
 */
class LogFileCheckTest extends LogTestSupport {

    private static final long OLD = 60_000;
    private static final long RECENT = 500;

    @BeforeEach
    void twoSegments() throws IOException {
        open(LogConfig.defaults());
        appendValues(2);
        log.roll();
        appendValues(1);
    }

    private void setDirTime(long millisBeforeClock) throws IOException {
        Files.setLastModifiedTime(logDir(), FileTime.fromMillis(clock.milliseconds() - millisBeforeClock));
    }

    private void assertRemovalDetected() {
        assertThat(log.isOffline()).isTrue();
        assertThat(log.offlineCause())
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("was removed");
    }

    @Test
    void aSegmentFileRemovedAfterAnUnchangedCheckIsDetectedByTheChangedDirectoryTime() throws IOException {
        setDirTime(OLD);
        log.checkFiles();
        log.checkFiles();

        Files.delete(LogFiles.logFile(logDir(), 0));
        log.checkFiles();

        assertRemovalDetected();
    }

    @Test
    void aSegmentFileRemovedInTheSameClockTickAsARecentChangeIsDetected() throws IOException {
        setDirTime(RECENT);
        log.checkFiles();

        Files.delete(LogFiles.logFile(logDir(), 0));
        setDirTime(RECENT); // the removal was stamped with the time the check already saw
        log.checkFiles();

        assertRemovalDetected();
    }

    @Test
    void theFirstCheckLooksAtEverySegmentWhateverTheDirectoryTime() throws IOException {
        setDirTime(OLD);
        Files.delete(LogFiles.logFile(logDir(), 0));
        setDirTime(OLD);

        log.checkFiles();

        assertRemovalDetected();
    }

    @Test
    void anOldUnchangedDirectoryTimeSkipsTheSegments() throws IOException {
        setDirTime(OLD);
        log.checkFiles();

        Files.delete(LogFiles.logFile(logDir(), 0));
        setDirTime(OLD); // hides the removal: only the segment check itself could see it
        log.checkFiles();
        assertThat(log.isOffline()).as("segments not looked at").isFalse();

        setDirTime(OLD - 1);
        log.checkFiles();
        assertRemovalDetected();
    }

    @Test
    void indexFilesRemovedAfterAnUnchangedCheckAreRebuilt() throws IOException {
        setDirTime(OLD);
        log.checkFiles();
        log.checkFiles();
        Path index = LogFiles.offsetIndexFile(logDir(), 0);
        Path timeIndex = LogFiles.timeIndexFile(logDir(), 0);

        Files.delete(index);
        Files.delete(timeIndex);
        log.checkFiles();

        assertThat(index).exists();
        assertThat(timeIndex).exists();
        assertThat(log.isOffline()).isFalse();
        assertThat(TestBatches.readAll(log, 1)).containsExactly("v1", "v2");
    }

    @Test
    void aRemovedPartitionDirectoryIsDetectedThoughItsTimeCannotBeRead() throws IOException {
        setDirTime(OLD);
        log.checkFiles();

        try (Stream<Path> all = Files.walk(logDir())) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
        log.checkFiles();

        assertRemovalDetected();
    }
}
