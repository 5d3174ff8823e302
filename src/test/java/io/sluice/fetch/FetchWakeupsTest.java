package io.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.topic.ServicesFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How parked reads are woken and expired: batched hand-overs, shared reads, idle timeouts without a read. */
class FetchWakeupsTest {

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final AtomicInteger tasks = new AtomicInteger();
    private final Executor counting = task -> {
        tasks.incrementAndGet();
        pool.execute(task);
    };
    private final DeadlineTimer deadlines = new DeadlineTimer("deadlines", Clock.system(), 5);

    @AfterEach
    void stop() {
        pool.shutdownNow();
        deadlines.close();
    }

    private FetchService fetch(ServicesFixture f, Executor executor) {
        FetchService fetch = new FetchService(f.topics, executor, deadlines, f.clock, f.metrics, 60_000);
        f.logs.addListener(fetch);
        return fetch;
    }

    private static void produce(ServicesFixture f, String value) {
        new ProduceService(f.topics, f.clock, f.metrics)
                .produce(
                        "t",
                        OptionalInt.empty(),
                        List.of(new ProduceRecord(null, value.getBytes(), 0, List.of(), null)),
                        Optional.empty());
    }

    @Test
    void oneAppendWakesEveryParkedReadInBatchesNotOneTaskEach() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, counting);
            int readers = 200;
            List<CompletableFuture<FetchResult>> reads = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                reads.add(fetch.read(new FetchRequest("t", 0, 0L, 1 << 20, 10, 60_000)));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == readers);
            int before = tasks.get();

            produce(f, "a");

            for (CompletableFuture<FetchResult> read : reads) {
                FetchResult result = read.get(5, TimeUnit.SECONDS);
                assertThat(result.records().decode())
                        .extracting(FetchedRecord::offset)
                        .containsExactly(0L);
            }
            int batches = (readers + FetchService.WAKE_BATCH - 1) / FetchService.WAKE_BATCH;
            assertThat(tasks.get() - before).isEqualTo(batches);
            assertThat(fetch.waitingReads()).isZero();
        }
    }

    @Test
    void appendsWhileAWakeUpIsQueuedDoNotQueueMoreReadsForTheSameWaiter() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            ExecutorService single = Executors.newSingleThreadExecutor();
            AtomicInteger singleTasks = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            try {
                FetchService fetch = fetch(f, task -> {
                    singleTasks.incrementAndGet();
                    single.execute(task);
                });
                CompletableFuture<FetchResult> read = fetch.read(new FetchRequest("t", 0, 0L, 1 << 20, 100, 60_000));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
                single.execute(() -> awaitQuietly(release)); // the executor is busy: wake-ups queue behind this
                int before = singleTasks.get();

                for (int i = 0; i < 10; i++) {
                    produce(f, "v" + i);
                }
                assertThat(singleTasks.get() - before).isEqualTo(1);

                release.countDown();
                assertThat(read.get(5, TimeUnit.SECONDS).records().decode()).hasSize(10);
            } finally {
                release.countDown();
                single.shutdownNow();
            }
        }
    }

    @Test
    void readsWokenTogetherAtOnePositionShareTheirAnswer() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, pool);
            CompletableFuture<FetchResult> first = fetch.read(new FetchRequest("t", 0, 0L, 1 << 20, 10, 60_000));
            CompletableFuture<FetchResult> second = fetch.read(new FetchRequest("t", 0, 0L, 1 << 20, 10, 60_000));
            CompletableFuture<FetchResult> other = fetch.read(new FetchRequest("t", 0, 0L, 1 << 20, 1, 60_000));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 3);

            produce(f, "a");

            assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(second.get(5, TimeUnit.SECONDS));
            assertThat(other.get(5, TimeUnit.SECONDS)).isNotSameAs(first.get());
            assertThat(other.get().records().decode())
                    .extracting(FetchedRecord::offset)
                    .containsExactly(0L);
        }
    }

    @Test
    void aReadAtTheEndParksAndTimesOutWithoutAnyTaskOrRead() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, "a");
            FetchService fetch = fetch(f, counting);

            FetchResult result =
                    fetch.read(new FetchRequest("t", 0, 1L, 1 << 20, 10, 50)).get(5, TimeUnit.SECONDS);

            assertThat(result.records().decode()).isEmpty();
            assertThat(result.highWatermark()).isEqualTo(1);
            assertThat(result.logStartOffset()).isZero();
            assertThat(tasks.get()).as("tasks run on the executor").isZero();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
