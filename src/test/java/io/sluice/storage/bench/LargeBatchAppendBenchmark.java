package io.sluice.storage.bench;

import io.sluice.storage.LogManager;
import io.sluice.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same work as {@code dd if=/dev/zero bs=1M count=2048}: each iteration appends 2048 batches of 1 MiB (1024
 * records of 1 KiB) and is timed as one shot, so throughput is {@code 2048 MiB / score}. Between iterations the
 * log is fsync'ed and emptied, so every iteration starts, like a lone dd run, with no dirty-page backlog. The
 * batch sits in a direct buffer (as Netty hands request bodies over); a heap buffer costs one more copy in the JDK.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, batchSize = LargeBatchAppendBenchmark.BATCHES)
@Measurement(iterations = 5, batchSize = LargeBatchAppendBenchmark.BATCHES)
@Fork(1)
public class LargeBatchAppendBenchmark {

    static final int BATCHES = 2048;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchLogs.freshDir("append-1mib");
        manager = BenchLogs.open(dir);
        log = manager.getOrCreate(BenchLogs.TP, BenchLogs.config().withRetentionBytes(-1));
        // a direct buffer, as a network layer hands over: the JDK writes it without an intermediate copy
        ByteBuffer heap = BenchLogs.batch(1024, 1024 - 8);
        batch = ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        if (batch.remaining() < 1024 * 1024 || batch.remaining() > 1024 * 1024 + 4096) {
            throw new IllegalStateException("batch is " + batch.remaining() + " bytes, not about 1 MiB");
        }
    }

    @TearDown(Level.Iteration)
    public void flushAndEmpty() {
        log.flush();
        log.truncateTo(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        BenchLogs.deleteRecursively(dir);
    }

    @Benchmark
    public long appendOneMiB() {
        return log.appendAsLeader(batch.duplicate(), 0).lastOffset();
    }
}
