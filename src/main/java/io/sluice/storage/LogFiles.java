package io.sluice.storage;

import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The one owner of every file name in the data directory, so no other class builds a name by hand.
 *
 * <pre>
 * &lt;data-dir&gt;/.clean-shutdown                      written last by a clean close, deleted at start-up
 * &lt;data-dir&gt;/&lt;topic&gt;-&lt;partition&gt;/                  one directory per partition
 *     00000000000000000000.log                  segment data: record batches end to end
 *     00000000000000000000.index                sparse offset index of that segment
 *     00000000000000000000.timeindex            time index of that segment
 *     00000000000000000000.snapshot             producer state as of that offset
 *     recovery-point-checkpoint                 offset below which everything was fsync'ed
 * </pre>
 *
 * Base offsets are zero-padded to 20 digits (enough for any positive long) so that {@code ls} lists segments in
 * offset order. Files being written atomically carry a {@code .tmp} suffix until renamed.
 */
public final class LogFiles {

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    public static final String TMP_SUFFIX = ".tmp";
    public static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    public static final String RECOVERY_POINT_FILE = "recovery-point-checkpoint";

    private static final int OFFSET_DIGITS = 20;

    private LogFiles() {}

    /** The base offset zero-padded to 20 digits. */
    public static String filenamePrefix(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        String digits = Long.toString(offset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    public static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
    }

    public static Path offsetIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    public static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(filenamePrefix(offset) + SNAPSHOT_SUFFIX);
    }

    public static Path recoveryPointFile(Path dir) {
        return dir.resolve(RECOVERY_POINT_FILE);
    }

    public static Path cleanShutdownFile(Path dataDir) {
        return dataDir.resolve(CLEAN_SHUTDOWN_FILE);
    }

    public static Path tempFile(Path file) {
        return file.resolveSibling(file.getFileName() + TMP_SUFFIX);
    }

    public static Path partitionDir(Path dataDir, TopicPartition tp) {
        return dataDir.resolve(tp.toString());
    }

    /** Parses a partition directory name {@code <topic>-<partition>}; topics may contain dashes themselves. */
    public static Optional<TopicPartition> parsePartitionDir(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        String number = name.substring(dash + 1);
        if (!number.chars().allMatch(Character::isDigit) || number.length() > 9) {
            return Optional.empty();
        }
        return Optional.of(new TopicPartition(name.substring(0, dash), Integer.parseInt(number)));
    }

    /** The offset in a file name like {@code 00000000000000000042.log} if it has the given suffix. */
    public static OptionalLong offsetFromFile(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != OFFSET_DIGITS + suffix.length()) {
            return OptionalLong.empty();
        }
        String digits = name.substring(0, OFFSET_DIGITS);
        if (!digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** Every offset named by a file with this suffix in dir, ascending. */
    public static long[] offsetsOf(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> offsetFromFile(f, suffix))
                    .filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong)
                    .sorted()
                    .toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes leftovers of interrupted atomic writes. */
    public static void deleteTempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(TMP_SUFFIX)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
