package io.sluice.storage.bench;

import io.sluice.common.Clock;
import io.sluice.common.TopicPartition;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Shared set-up for the storage benchmarks: a fresh data dir on the benchmark disk and pre-built batches. */
final class BenchLogs {

    static final TopicPartition TP = new TopicPartition("bench", 0);

    private BenchLogs() {}

    /** A new empty directory under {@code -Dsluice.bench.dir} (default {@code target/bench-data}). */
    static Path freshDir(String name) {
        Path root = Path.of(System.getProperty("sluice.bench.dir", "target/bench-data"));
        Path dir = root.resolve(name + "-" + System.nanoTime());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static LogManager open(Path dir) {
        return LogManager.open(dir, LogConfig.defaults(), Clock.system(), 1);
    }

    /** Segments small enough for retention to keep the disk from filling during long runs. */
    static LogConfig config() {
        return LogConfig.defaults()
                .withSegmentBytes(256L * 1024 * 1024)
                .withRetentionBytes(1024L * 1024 * 1024)
                .withMaxMessageBytes(4 * 1024 * 1024);
    }

    /** One batch of count records with random values of valueSize bytes and no key. */
    static ByteBuffer batch(int count, int valueSize) {
        Random random = new Random(42);
        RecordBatchBuilder builder = new RecordBatchBuilder();
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            builder.append(now, (byte[]) null, value, List.of());
        }
        return builder.build().buffer();
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
