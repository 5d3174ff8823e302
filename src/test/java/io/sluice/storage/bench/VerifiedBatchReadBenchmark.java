package io.sluice.storage.bench;

import io.sluice.record.RecordBatch;
import io.sluice.storage.LogManager;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.ReadBuffer;
import io.sluice.storage.ReadBuffers;
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
 * The server's work for one batch read in Kafka's format, front to back over a 256 MiB log in 1 MiB reads, up to the
 * bytes Netty writes to the socket: {@code heap} is the path before session 4 (the slice read into a new heap array,
 * which the JDK does through its cached direct buffer; every CRC checked on the heap; then copied into a direct buffer,
 * as Netty copies a heap body before {@code write(2)}); {@code direct} is the path since (read straight into a
 * direct buffer from a pool, CRC-checked there, sent as it is). The pool is one reused direct buffer, as Netty's
 * pooled allocator hands back recently freed memory. {@code bytes} and {@code records} are per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class VerifiedBatchReadBenchmark {

    private static final long LOG_BYTES = 256L * 1024 * 1024;
    private static final int MAX_BYTES = 1 << 20;

    @Param({"100", "1024"})
    int recordSize;

    @Param({"heap", "direct"})
    String path;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private long offset;
    private final ByteBuffer socketSide = ByteBuffer.allocateDirect(2 * MAX_BYTES);
    private final ByteBuffer pooled = ByteBuffer.allocateDirect(2 * MAX_BYTES);
    private final ReadBuffers pool = size -> new ReadBuffer() {
        @Override
        public ByteBuffer bytes() {
            return pooled.duplicate().clear().limit(size).slice();
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void release() {
            // the one buffer is reused by the next read
        }
    };

    /** Bytes and records read, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;
        public long records;
    }

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchLogs.freshDir("verified-read");
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
    public int read(Counters counters) {
        if (offset >= log.highWatermark()) {
            offset = 0;
        }
        ByteBuffer sent;
        if (path.equals("heap")) {
            ByteBuffer heap = log.read(offset, MAX_BYTES)
                    .verifiedBytes(ReadBuffers.heap())
                    .bytes();
            sent = socketSide.clear().put(heap).flip();
        } else {
            sent = log.read(offset, MAX_BYTES).verifiedBytes(pool).bytes();
        }
        long next = nextOffset(sent);
        counters.records += next - offset;
        counters.bytes += sent.remaining();
        offset = next;
        return sent.remaining();
    }

    private static long nextOffset(ByteBuffer bytes) {
        int position = 0;
        int start = 0;
        while (position < bytes.limit()) {
            start = position;
            position += RecordBatch.LOG_OVERHEAD + bytes.getInt(position + RecordBatch.LENGTH_OFFSET);
        }
        return RecordBatch.wrap(bytes.duplicate().position(start).slice()).nextOffset();
    }
}
