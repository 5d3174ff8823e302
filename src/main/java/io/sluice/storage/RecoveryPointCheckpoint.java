package io.sluice.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code recovery-point-checkpoint} file of a partition: the offset below which every byte was fsync'ed, so
 * recovery after a crash starts there. Text, two lines: a format version ({@code 1}) and the offset. Replaced
 * atomically; a missing or unreadable file means "recover from the start". Stateless.
 */
final class RecoveryPointCheckpoint {

    private static final String VERSION = "1";

    private RecoveryPointCheckpoint() {}

    static void write(Path dir, long recoveryPoint) throws IOException {
        String text = VERSION + "\n" + recoveryPoint + "\n";
        AtomicFiles.write(LogFiles.recoveryPointFile(dir), ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The stored recovery point, or 0 when the file is missing or damaged. */
    static long read(Path dir) {
        try {
            List<String> lines = Files.readAllLines(LogFiles.recoveryPointFile(dir), StandardCharsets.US_ASCII);
            if (lines.size() >= 2 && lines.get(0).equals(VERSION)) {
                return Math.max(0, Long.parseLong(lines.get(1).trim()));
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            System.getLogger(RecoveryPointCheckpoint.class.getName())
                    .log(System.Logger.Level.WARNING, "unreadable recovery point in " + dir + ", recovering all");
        }
        return 0;
    }
}
