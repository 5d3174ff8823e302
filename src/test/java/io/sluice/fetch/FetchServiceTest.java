package io.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.storage.CountingReadBuffers;
import io.sluice.topic.ServicesFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchServiceTest {

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final DeadlineTimer deadlines = new DeadlineTimer("deadlines", Clock.system(), 5);

    @AfterEach
    void stop() {
        executor.shutdownNow();
        deadlines.close();
    }

    private FetchService fetch(ServicesFixture f, long maxWaitMs) {
        FetchService fetch = new FetchService(f.topics, executor, deadlines, f.clock, f.metrics, maxWaitMs);
        f.logs.addListener(fetch);
        return fetch;
    }

    private FetchService fetch(ServicesFixture f, CountingReadBuffers buffers) {
        FetchService fetch = new FetchService(f.topics, executor, deadlines, f.clock, f.metrics, 60_000, buffers);
        f.logs.addListener(fetch);
        return fetch;
    }

    private static void produce(ServicesFixture f, int partition, String... values) {
        List<ProduceRecord> records = new ArrayList<>();
        for (String value : values) {
            records.add(new ProduceRecord(null, value.getBytes(), partition, List.of(), null));
        }
        new ProduceService(f.topics, f.clock, f.metrics).produce("t", OptionalInt.empty(), records, Optional.empty());
    }

    @Test
    void parkedReadIsCompletedByTheAppendWithoutPolling() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 60_000);

            CompletableFuture<FetchResult> read = fetch.read(new FetchRequest("t", 0, 0L, 1 << 20, 100, 60_000));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
            assertThat(read).isNotDone();
            produce(f, 0, "a", "b");

            FetchResult result = read.get(5, TimeUnit.SECONDS);
            assertThat(result.records().decode())
                    .extracting(FetchedRecord::offset)
                    .containsExactly(0L, 1L);
            assertThat(new String(result.records().decode().get(1).value())).isEqualTo("b");
            assertThat(fetch.waitingReads()).isZero();
        }
    }

    @Test
    void readWithNothingNewCompletesEmptyAtTheTimeoutCappedByTheMaximum() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 100);
            long start = System.nanoTime();

            FetchResult result = fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 3_600_000))
                    .get(5, TimeUnit.SECONDS);

            assertThat(result.records().decode()).isEmpty();
            assertThat(result.highWatermark()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(fetch.waitingReads()).isZero();
        }
    }

    @Test
    void cancelledReadLeavesTheWaitingSet() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 60_000);
            CompletableFuture<FetchResult> read = fetch.read(new FetchRequest("t", 0, null, 1024, 10, 60_000));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);

            read.cancel(false);

            assertThat(fetch.waitingReads()).isZero();
        }
    }

    @Test
    void answerIsMadeOnTheReadingThreadEvenWhenTheReadIsOverBeforeTheCallReturns() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, 0, "a");
            // hands each read to the pool and returns only once it has run: every read is over before read returns
            Executor finishedFirst = task -> {
                try {
                    executor.submit(task).get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            };
            FetchService fetch = new FetchService(f.topics, finishedFirst, deadlines, f.clock, f.metrics, 60_000);

            CompletableFuture<String> answer = fetch.read(
                    new FetchRequest("t", 0, 0L, 1024, 10, 0),
                    result -> Thread.currentThread().getName() + ":"
                            + result.records().count(),
                    made -> {});

            // the pool's threads are named pool-N-thread-M; the caller's is JUnit's
            assertThat(answer.get(5, TimeUnit.SECONDS)).matches("pool-\\d+-thread-\\d+:1");
        }
    }

    @Test
    void cancellingTheAnswerCancelsTheReadAndAnAnswerMadeMeanwhileIsDiscarded() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 60_000);
            CountDownLatch answering = new CountDownLatch(1);
            CountDownLatch cancelled = new CountDownLatch(1);
            CompletableFuture<Object> discarded = new CompletableFuture<>();
            Object made = new Object();
            Function<FetchResult, Object> slowAnswer = result -> {
                answering.countDown();
                awaitQuietly(cancelled);
                return made;
            };

            CompletableFuture<Object> parked =
                    fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 60_000), slowAnswer, discarded::complete);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
            parked.cancel(false);
            assertThat(fetch.waitingReads()).isZero();

            CompletableFuture<Object> answered =
                    fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 60_000), slowAnswer, discarded::complete);
            produce(f, 0, "a");
            assertThat(answering.await(5, TimeUnit.SECONDS)).isTrue();
            answered.cancel(false);
            cancelled.countDown();

            assertThat(discarded.get(5, TimeUnit.SECONDS)).isSameAs(made);
        }
    }

    @Test
    void failingAnswerFailsTheRead() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, 0, "a");
            FetchService fetch = fetch(f, 60_000);

            CompletableFuture<Object> answer = fetch.read(
                    new FetchRequest("t", 0, 0L, 1024, 10, 0),
                    result -> {
                        throw new SluiceException(ErrorCode.INVALID_VALUE, "cannot show offset 0");
                    },
                    made -> {});

            assertThat(answer)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(SluiceException.class)
                    .withMessageContaining("cannot show offset 0");
        }
    }

    @Test
    void offsetBeyondTheEndFailsWithTheValidRange() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, 0, "a");
            FetchService fetch = fetch(f, 1000);

            CompletableFuture<FetchResult> read = fetch.read(new FetchRequest("t", 0, 5L, 1024, 10, 1000));

            assertThat(read)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(SluiceException.class)
                    .withMessageContaining("0 to 1")
                    .matches(e -> ((SluiceException) e).errorCode() == ErrorCode.OFFSET_OUT_OF_RANGE);
        }
    }

    /**
     * A waiter whose position is past the log's end when it expires (here: its topic was deleted and created anew
     * while it waited) gets the out-of-range answer a new read would get, not an empty page that claims the position
     * is fine. The same check covers a timeout that fires between a first read's parking and its read.
     */
    @Test
    void aWaiterPastTheEndWhenItExpiresFailsOutOfRangeInsteadOfAnsweringEmpty() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, 0, "a", "b", "c");
            FetchService fetch = fetch(f, 60_000);
            CompletableFuture<FetchResult> read = fetch.read(new FetchRequest("t", 0, 3L, 1024, 10, 60_000));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
            f.topics.delete("t");
            f.topics.create("t", 1, 1, Map.of());

            fetch.stopWaiting();

            assertThat(read)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(SluiceException.class)
                    .matches(e -> ((SluiceException) e).errorCode() == ErrorCode.OFFSET_OUT_OF_RANGE);
        }
    }

    @Test
    void stopWaitingAnswersParkedReadsAtOnce() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 60_000);
            CompletableFuture<FetchResult> read = fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 60_000));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);

            fetch.stopWaiting();

            assertThat(read.get(5, TimeUnit.SECONDS).records().decode()).isEmpty();
            assertThat(fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 60_000))
                            .get(5, TimeUnit.SECONDS)
                            .records()
                            .decode())
                    .isEmpty();
        }
    }

    @Test
    void aFullStoragePoolNeverFailsTheAppenderAndRefusesNewReads() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            ThreadPoolExecutor tiny = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(1));
            CountDownLatch release = new CountDownLatch(1);
            try {
                FetchService fetch = new FetchService(f.topics, tiny, deadlines, f.clock, f.metrics, 60_000);
                CompletableFuture<FetchResult> parked = fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 500));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
                tiny.execute(() -> awaitQuietly(release));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tiny.getActiveCount() == 1);
                tiny.execute(() -> {});

                fetch.onHighWatermarkAdvanced(new io.sluice.common.TopicPartition("t", 0), 1);
                assertThatThrownBy(() -> fetch.read(new FetchRequest("t", 0, 0L, 1024, 10, 0)))
                        .isInstanceOf(RejectedExecutionException.class);

                release.countDown();
                assertThat(parked).succeedsWithin(Duration.ofSeconds(5));
            } finally {
                release.countDown();
                tiny.shutdownNow();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Many readers parked at random offsets while appends race them: every read ends with its record. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void noWakeupIsLostWhenReadsAndAppendsRace(long seed) throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 30_000);
            Random random = new Random(seed);
            List<CompletableFuture<FetchResult>> reads = new ArrayList<>();
            List<Long> wanted = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // at most the end offset: a read there waits; one beyond it would be out of range
                long offset = Math.min(i / 4, f.topics.log("t", 0).logEndOffset());
                wanted.add(offset);
                reads.add(fetch.read(new FetchRequest("t", 0, offset, 1 << 20, 1, 30_000)));
                if (random.nextInt(4) == 0) {
                    produce(f, 0, "v" + i);
                }
            }
            while (f.topics.log("t", 0).logEndOffset() < 50) {
                produce(f, 0, "fill");
            }
            for (int i = 0; i < reads.size(); i++) {
                FetchResult result = reads.get(i).get(10, TimeUnit.SECONDS);
                assertThat(result.records().decode())
                        .as("seed %d read %d", seed, i)
                        .hasSize(1);
                assertThat(result.records().decode().get(0).offset()).isEqualTo(wanted.get(i));
            }
        }
    }

    /**
     * Tailing consumers re-poll the instant each read answers, so one read's leaving the waiting set races the next
     * read's joining it. A wake-up lost in that race leaves the read parked until its 30 s timer, failing the 10 s get.
     */
    @Test
    void tailingReadersThatRepollAtOnceAreAlwaysWoken() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            FetchService fetch = fetch(f, 30_000);
            int records = 1_500;
            List<CompletableFuture<Long>> tails = new ArrayList<>();
            for (int reader = 0; reader < 3; reader++) {
                tails.add(CompletableFuture.supplyAsync(() -> tail(fetch, records)));
            }
            for (int i = 0; i < records; i++) {
                produce(f, 0, "v" + i);
            }
            for (CompletableFuture<Long> tail : tails) {
                assertThat(tail.get(60, TimeUnit.SECONDS)).isEqualTo(records);
            }
        }
    }

    private static long tail(FetchService fetch, int records) {
        long next = 0;
        while (next < records) {
            try {
                FetchResult result = fetch.read(new FetchRequest("t", 0, next, 1 << 20, 1, 30_000))
                        .get(10, TimeUnit.SECONDS);
                next += result.records().decode().size();
            } catch (Exception e) {
                throw new AssertionError("read at offset " + next + " was not woken", e);
            }
        }
        return next;
    }

    @Test
    void aBatchReadAnswersWithTheStoredBytesInABufferTheReceiverOwns() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, 0, "a", "b");
            produce(f, 0, "c");
            CountingReadBuffers buffers = new CountingReadBuffers();
            FetchService fetch = fetch(f, buffers);

            FetchedBatches read = fetch.readBatches(new FetchRequest("t", 0, 1L, 1 << 20, 1, 0))
                    .get(5, TimeUnit.SECONDS);

            assertThat(read.batches())
                    .isEqualTo(f.topics.log("t", 0).read(0, 1 << 20).records().readFully());
            assertThat(read.records()).isEqualTo(3);
            assertThat(read.nextOffset()).isEqualTo(3);
            assertThat(buffers.outstanding()).isEqualTo(1);
            read.release();
            read.release();
            assertThat(buffers.outstanding()).isZero();
            assertThat(buffers.doubleReleases()).isZero();
        }
    }

    @Test
    void aBatchReadCancelledWhileItHoldsItsBufferGivesTheBufferBack() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            produce(f, 0, "a", "b");
            CountingReadBuffers buffers = new CountingReadBuffers();
            FetchService fetch = fetch(f, buffers);
            CompletableFuture<CompletableFuture<FetchedBatches>> pending = new CompletableFuture<>();
            // the client goes away exactly while the read holds its memory
            buffers.onAllocate(() -> pending.join().cancel(false));

            CompletableFuture<FetchedBatches> read = fetch.readBatches(new FetchRequest("t", 0, 0L, 1 << 20, 1, 0));
            pending.complete(read);

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> buffers.allocated() == 1);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> buffers.outstanding() == 0);
            assertThat(read).isCancelled();
        }
    }

    @Test
    void aWaitingBatchReadWokenByAnAppendAnswersAndAnEmptyOneTakesNoBuffer() throws Exception {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            CountingReadBuffers buffers = new CountingReadBuffers();
            FetchService fetch = fetch(f, buffers);

            CompletableFuture<FetchedBatches> read =
                    fetch.readBatches(new FetchRequest("t", 0, 0L, 1 << 20, 1, 60_000));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fetch.waitingReads() == 1);
            assertThat(buffers.allocated()).isZero();
            produce(f, 0, "a");

            FetchedBatches answer = read.get(5, TimeUnit.SECONDS);
            assertThat(answer.records()).isEqualTo(1);
            answer.release();
            assertThat(buffers.outstanding()).isZero();
        }
    }
}
