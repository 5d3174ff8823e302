package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One writer and several readers on the same log: readers only ever see whole, valid, dense batches. */
class ConcurrentReadWriteTest extends LogTestSupport {

    @Test
    void readersNeverSeeAHalfWrittenBatch() throws Exception {
        open(LogConfig.defaults().withSegmentBytes(64 * 1024).withIndexIntervalBytes(512));
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> readUntilDone(done)));
            }
            for (int i = 0; i < 1500; i++) {
                log.appendAsLeader(TestBatches.sized(1 + i % 7, 10 + i % 300, 1000 + i), 0);
            }
            done.set(true);
            for (Future<Long> f : readers) {
                assertThat(f.get()).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.segmentCount()).isGreaterThan(3);
    }

    private long readUntilDone(AtomicBoolean done) {
        long batchesSeen = 0;
        long offset = 0;
        while (!done.get() || offset < log.highWatermark()) {
            LogReadResult result = log.read(offset, 4096);
            if (result.records().sizeInBytes() == 0) {
                assertThat(offset).isEqualTo(result.highWatermark());
                continue;
            }
            boolean first = true;
            for (RecordBatch batch : TestBatches.batches(result.records())) {
                assertThat(batch.isValid()).isTrue();
                assertThat(batch.lastOffset()).isLessThan(result.highWatermark());
                if (first) {
                    assertThat(batch.baseOffset()).isLessThanOrEqualTo(offset);
                    assertThat(batch.lastOffset()).isGreaterThanOrEqualTo(offset);
                } else {
                    assertThat(batch.baseOffset()).as("dense offsets").isEqualTo(offset);
                }
                first = false;
                offset = batch.nextOffset();
                batchesSeen++;
            }
        }
        return batchesSeen;
    }

    @Test
    void aReaderDoesNotWaitForTheWriterLock() throws Exception {
        open(LogConfig.defaults().withFlushMessages(1));
        appendValues(3);
        // A flushing appender holds no lock during its fsync, and readers take none at all: reading while
        // another thread appends with fsync completes on the reader's own time.
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    log.appendAsLeader(TestBatches.batch(1, "w"), 0);
                }
            });
            long reads = 0;
            while (!writer.isDone()) {
                assertThat(log.read(0, 100).records().sizeInBytes()).isPositive();
                reads++;
            }
            writer.get();
            assertThat(reads).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readsAfterCloseOfANewInstanceStillSeeEverything() throws IOException {
        open(LogConfig.defaults());
        appendValues(5);
        reopenAfterClose(LogConfig.defaults());
        assertThat(TestBatches.readAll(log, 0)).hasSize(5);
    }
}
