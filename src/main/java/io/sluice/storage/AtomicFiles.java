package io.sluice.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces small files so that a crash at any moment leaves either the old content or the new one: write a
 * temp file, fsync it, rename it over the target, fsync the directory so the rename itself is durable.
 */
final class AtomicFiles {

    private AtomicFiles() {}

    /** Replaces target durably: the new content is on disk when this returns. */
    static void write(Path target, ByteBuffer content) throws IOException {
        write(target, content, true);
    }

    /**
     * Replaces target; without {@code durable} nothing is fsync'ed, for files that carry their own checksum and
     * are only an optimisation (a crash may then leave the old file, the new one, or a damaged one).
     */
    static void write(Path target, ByteBuffer content, boolean durable) throws IOException {
        Path tmp = LogFiles.tempFile(target);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (durable) {
            fsyncDirectory(target.getParent());
        }
    }

    /** Makes creations, renames and deletions in dir durable (a no-op where directories cannot be opened). */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the rename is then as durable as the platform makes it.
        }
    }
}
