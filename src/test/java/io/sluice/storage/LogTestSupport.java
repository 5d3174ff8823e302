package io.sluice.storage;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A partition log in a temp dir on a manual clock, closed after each test. */
abstract class LogTestSupport {

    static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;

    final ManualClock clock = new ManualClock();
    PartitionLog log;

    Path logDir() {
        return dataDir.resolve(TP.toString());
    }

    PartitionLog open(LogConfig config) throws IOException {
        log = PartitionLog.open(TP, logDir(), config, clock, true);
        return log;
    }

    /** Opens a second instance as after kill -9: the old one is abandoned without close, recovery runs. */
    PartitionLog reopenAfterCrash(LogConfig config) throws IOException {
        log = PartitionLog.open(TP, logDir(), config, clock, false);
        return log;
    }

    PartitionLog reopenAfterClose(LogConfig config) throws IOException {
        log.close();
        return open(config);
    }

    long appendValues(int count) {
        long last = -1;
        for (int i = 0; i < count; i++) {
            last = log.appendAsLeader(TestBatches.batch(clock.milliseconds(), "v" + (log.logEndOffset())), 0)
                    .lastOffset();
        }
        return last;
    }

    @AfterEach
    void closeLog() throws IOException {
        if (log != null && !log.isOffline()) {
            log.close();
        }
    }
}
