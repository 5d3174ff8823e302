package io.sluice.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The one door through which the storage engine changes files: opening channels (segments, indexes, atomic
 * writes), renaming, deleting, creating directories and every fsync. Reads of metadata (listing, sizes) go to the
 * file system directly. The default is {@link #real()}; tests substitute implementations that model a power cut
 * (losing what was not fsync'ed) or inject faults (a full disk, a failing fsync, read errors).
 *
 * <p>Implementations are thread-safe: many partitions use one instance concurrently.
 */
public interface StorageFiles {

    /** Opens a channel; writes and {@link FileChannel#force} through it are what makes data durable. */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /** Atomically renames source over target (replacing it); durable only after {@link #fsyncDirectory}. */
    void move(Path source, Path target) throws IOException;

    /** Deletes the file if it exists; durable only after {@link #fsyncDirectory}. */
    boolean deleteIfExists(Path file) throws IOException;

    /** Creates the directory and any missing parents; durable only after fsyncing each parent. */
    void createDirectories(Path dir) throws IOException;

    /** Makes creations, renames and deletions of entries in dir durable. */
    void fsyncDirectory(Path dir) throws IOException;

    /** Forces the pages of a mapping of file (an index) to the device. */
    void forceMapped(Path file, MappedByteBuffer mapping) throws IOException;

    /** The platform's file system. */
    static StorageFiles real() {
        return RealStorageFiles.INSTANCE;
    }
}
