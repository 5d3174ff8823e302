package io.sluice.storage.bench;

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
 * Appends of {@code recordSize}-byte records in batches of {@code batchRecords}, through the whole append path
 * (validation with CRC, offset assignment, producer-state check, write to the OS, index). Default durability:
 * no fsync. The {@code records} and {@code bytes} counters are per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AppendBenchmark {

    @Param({"100", "1024"})
    int recordSize;

    @Param({"1", "100", "1000"})
    int batchRecords;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private ByteBuffer batch;

    /** Records and bytes appended, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long records;
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchLogs.freshDir("append");
        manager = BenchLogs.open(dir);
        log = manager.getOrCreate(BenchLogs.TP, BenchLogs.config());
        batch = BenchLogs.batch(batchRecords, recordSize);
    }

    @TearDown(Level.Iteration)
    public void retain() {
        log.deleteOldSegments();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        BenchLogs.deleteRecursively(dir);
    }

    @Benchmark
    public long append(Counters counters) {
        long offset = log.appendAsLeader(batch.duplicate(), 0).lastOffset();
        counters.records += batchRecords;
        counters.bytes += (long) batchRecords * recordSize;
        return offset;
    }
}
