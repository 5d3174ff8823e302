package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryChangesTest {

    private static final long MARGIN = DirectoryChanges.COARSE_CLOCK_MARGIN_MS;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private DirectoryChanges changes;

    @BeforeEach
    void create() {
        changes = new DirectoryChanges(dir, clock);
    }

    private void setDirTime(long millisBeforeClock) throws IOException {
        Files.setLastModifiedTime(dir, FileTime.fromMillis(clock.milliseconds() - millisBeforeClock));
    }

    private void completeCheck() {
        assertThat(changes.mayHaveChanged()).isTrue();
        changes.checked();
    }

    @Test
    void theFirstCheckIsAlwaysNeeded() throws IOException {
        setDirTime(60_000);

        assertThat(changes.mayHaveChanged()).isTrue();
    }

    @Test
    void anUnchangedTimeOlderThanTheMarginBeforeTheLastCheckNeedsNoCheck() throws IOException {
        setDirTime(MARGIN + 1);
        completeCheck();
        clock.advanceMillis(10_000);

        assertThat(changes.mayHaveChanged()).isFalse();
        assertThat(changes.mayHaveChanged()).isFalse();
    }

    @Test
    void anUnchangedTimeWithinTheMarginBeforeTheLastCheckIsNotTrusted() throws IOException {
        setDirTime(MARGIN);
        completeCheck();
        clock.advanceMillis(10_000);

        assertThat(changes.mayHaveChanged()).isTrue();
    }

    @Test
    void anUnchangedTimeBecomesTrustedAtTheNextCompleteCheck() throws IOException {
        setDirTime(MARGIN);
        completeCheck();
        clock.advanceMillis(1);
        completeCheck();

        assertThat(changes.mayHaveChanged()).isFalse();
    }

    @Test
    void aTimeAheadOfTheClockIsNotTrusted() throws IOException {
        setDirTime(-60_000);
        completeCheck();

        assertThat(changes.mayHaveChanged()).isTrue();
    }

    @Test
    void aChangedTimeNeedsACheck() throws IOException {
        setDirTime(60_000);
        completeCheck();

        setDirTime(59_999);

        assertThat(changes.mayHaveChanged()).isTrue();
    }

    @Test
    void aTimeSeenByACheckThatDidNotCompleteIsNotTrusted() throws IOException {
        setDirTime(60_000);
        completeCheck();
        setDirTime(59_000);
        assertThat(changes.mayHaveChanged()).isTrue(); // and checked() is never called

        assertThat(changes.mayHaveChanged()).isTrue();
    }

    @Test
    void anUnreadableTimeNeedsACheck() throws IOException {
        setDirTime(60_000);
        completeCheck();

        Files.delete(dir);

        assertThat(changes.mayHaveChanged()).isTrue();
    }
}
