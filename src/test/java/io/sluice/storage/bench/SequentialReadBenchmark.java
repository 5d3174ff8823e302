package io.sluice.storage.bench;

import io.sluice.record.RecordBatch;
import io.sluice.storage.FileSlice;
import io.sluice.storage.LogManager;
import io.sluice.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sequential reads from the page cache: a consumer reading a 512 MiB log front to back in {@code maxBytes}
 * chunks, copying each slice to the heap ({@link FileSlice#readFully()}), wrapping around at the end. The log is
 * written in set-up, so its pages are cached. {@code bytes} and {@code records} are per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SequentialReadBenchmark {

    private static final long LOG_BYTES = 512L * 1024 * 1024;

    @Param({"100", "1024"})
    int recordSize;

    @Param({"1048576"})
    int maxBytes;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private long offset;

    /** Bytes and records read, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;
        public long records;
    }

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchLogs.freshDir("read");
        manager = BenchLogs.open(dir);
        log = manager.getOrCreate(BenchLogs.TP, BenchLogs.config().withRetentionBytes(-1));
        ByteBuffer batch = BenchLogs.batch(100, recordSize);
        while (log.sizeInBytes() < LOG_BYTES) {
            log.appendAsLeader(batch.duplicate(), 0);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        BenchLogs.deleteRecursively(dir);
    }

    @Benchmark
    public ByteBuffer read(Counters counters) {
        if (offset >= log.highWatermark()) {
            offset = 0;
        }
        ByteBuffer bytes = log.read(offset, maxBytes).records().readFully();
        int lastBatchStart = lastBatchStart(bytes);
        RecordBatch last = RecordBatch.wrap(bytes.duplicate().position(lastBatchStart));
        counters.records += last.nextOffset() - offset;
        counters.bytes += bytes.remaining();
        offset = last.nextOffset();
        return bytes;
    }

    private static int lastBatchStart(ByteBuffer bytes) {
        int position = 0;
        int start = 0;
        while (position < bytes.limit()) {
            start = position;
            position += RecordBatch.LOG_OVERHEAD + bytes.getInt(position + RecordBatch.LENGTH_OFFSET);
        }
        return start;
    }
}
