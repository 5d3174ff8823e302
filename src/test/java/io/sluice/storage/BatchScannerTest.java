package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header walk over every region of a file of small and block-sized batches, whole or cut anywhere. */
class BatchScannerTest {

    @TempDir
    Path dir;

    @Test
    void findsTheWholeBatchesOfEveryRegionAndWhetherItEndsInAPartOne() throws IOException {
        ByteBuffer[] batches = {
            TestBatches.batch(1, "a"),
            TestBatches.sized(3, 9_000, 2), // larger than a block
            TestBatches.batch(3, "b", "c"),
            TestBatches.sized(2, 100, 4),
            TestBatches.batch(5, "d"),
        };
        List<Long> starts = new ArrayList<>();
        long fileSize = 0;
        for (ByteBuffer batch : batches) {
            starts.add(fileSize);
            fileSize += batch.remaining();
        }
        starts.add(fileSize);
        Path file = dir.resolve("00000000000000000000.log");
        Files.write(file, toArray(TestBatches.concat(batches)));

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int first = 0; first < batches.length; first++) {
                long start = starts.get(first);
                for (long end = start; end <= fileSize; end += end < start + 200 ? 1 : 97) {
                    List<Long> expected = new ArrayList<>();
                    int next = first;
                    while (next < batches.length && starts.get(next + 1) <= end) {
                        expected.add(starts.get(next++));
                    }
                    BatchScanner scanner = new BatchScanner(channel, start, end);
                    List<Long> found = new ArrayList<>();
                    while (scanner.next()) {
                        found.add(scanner.position());
                        assertThat(scanner.nextPosition() - scanner.position()).isEqualTo(scanner.sizeInBytes());
                    }

                    String region = "[" + start + ", " + end + ")";
                    assertThat(found).as(region).isEqualTo(expected);
                    assertThat(scanner.stoppedEarly()).as(region).isEqualTo(end != starts.get(next));
                }
            }
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
