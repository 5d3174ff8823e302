package io.sluice.storage;

import io.sluice.common.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Whether a partition directory may have changed since the last complete file check, from one stat of the
 * directory instead of a few per segment. Removing, creating or renaming an entry updates its directory's
 * last-modified time, so a time equal to the one seen at the last complete check means no entry was removed since.
 *
 * <p>That holds only once the time seen is older than {@link #COARSE_CLOCK_MARGIN_MS} before that check started:
 * file systems stamp times from a coarse clock (a kernel tick, or whole seconds), so a removal in the same tick as
 * the change before it leaves the time unchanged. A recent time (or one ahead of the clock) is therefore never
 * trusted, and neither is a time that could not be read. The directory's time is wall-clock, compared with
 * {@link Clock#milliseconds}; this assumes the file system's clock agrees with the local one within the margin,
 * true of local disks.
 *
 * <p>Protocol: {@link #mayHaveChanged} before the check, {@link #checked} after it completed. Not thread-safe:
 * the caller holds the partition's writer lock.
 */
final class DirectoryChanges {

    /** Covers 2-second timestamps (FAT), the coarsest in use; ext4 and XFS stamp from the kernel tick (a few ms). */
    static final long COARSE_CLOCK_MARGIN_MS = 2_000;

    private final Path dir;
    private final Clock clock;
    private FileTime checkedTime; // null until a complete check read it
    private long checkedAtMs;
    private FileTime pendingTime;
    private long pendingAtMs;

    DirectoryChanges(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Stats the directory: false only when its time shows no entry changed since the last complete check. */
    boolean mayHaveChanged() {
        pendingAtMs = clock.milliseconds(); // before the stat, so that a change racing the stat counts as recent
        pendingTime = modifiedTime();
        return pendingTime == null
                || !pendingTime.equals(checkedTime)
                || checkedTime.toMillis() >= checkedAtMs - COARSE_CLOCK_MARGIN_MS;
    }

    /** The check asked for by the last {@link #mayHaveChanged} completed: its directory time is now trusted. */
    void checked() {
        checkedTime = pendingTime;
        checkedAtMs = pendingAtMs;
    }

    private FileTime modifiedTime() {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException | RuntimeException e) {
            return null; // the complete check reports what is wrong
        }
    }
}
