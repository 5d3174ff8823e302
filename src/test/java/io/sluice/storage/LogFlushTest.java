package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LogFlushTest extends LogTestSupport {

    @Test
    void byDefaultAppendsDoNotWaitForFsync() throws IOException {
        open(LogConfig.defaults());
        appendValues(10);
        assertThat(log.recoveryPoint()).isZero();
    }

    @Test
    void flushMessagesOneMakesEveryAppendDurableBeforeItReturns() throws IOException {
        open(LogConfig.defaults().withFlushMessages(1));
        appendValues(3);
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void flushMessagesNWaitsOnTheNthMessage() throws IOException {
        open(LogConfig.defaults().withFlushMessages(3));
        appendValues(2);
        assertThat(log.recoveryPoint()).isZero();
        appendValues(1);
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void flushMsMakesTheFirstAppendAfterTheIntervalWait() throws IOException {
        open(LogConfig.defaults().withFlushMs(1000));
        appendValues(2);
        assertThat(log.recoveryPoint()).isZero();
        clock.advanceMillis(1000);
        appendValues(1);
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void concurrentAppendersWithFlushAreAllDurableAndDense() throws Exception {
        open(LogConfig.defaults().withFlushMessages(1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AppendResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> log.appendAsLeader(TestBatches.batch(1, "x"), 0)));
            }
            long sum = 0;
            for (Future<AppendResult> f : results) {
                AppendResult r = f.get();
                assertThat(log.recoveryPoint()).isGreaterThan(r.lastOffset());
                sum += r.firstOffset();
            }
            assertThat(sum).as("offsets 0..199 each once").isEqualTo(199L * 200 / 2);
        } finally {
            pool.shutdownNow();
        }
    }
}
