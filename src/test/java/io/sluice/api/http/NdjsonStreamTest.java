package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.produce.ProduceService;
import io.sluice.topic.ServicesFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream coordinator: groups that arrive while a task runs (or while the response has not taken the last answer)
 * go out in one append, answers keep the order of the lines, reading pauses while too much waits, and a failed or
 * silent body ends the stream with its error line after the answers of the lines before it.
 */
class NdjsonStreamTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ExecutorService storageThread = Executors.newSingleThreadExecutor();
    private final Scheduler storage = Schedulers.fromExecutorService(storageThread);
    private final ManualTimer timer = new ManualTimer();
    private final Sinks.Many<NdjsonLines.Group> body = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicLong bodyRequested = new AtomicLong();
    private final List<List<Long>> appends = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstTaskStarted = new CountDownLatch(1);

    @TempDir
    Path dir;

    @AfterEach
    void stopStorage() {
        storageThread.shutdownNow();
    }

    @Test
    void groupsThatArriveWhileATaskRunsGoOutInTheNextTaskTogether() throws Exception {
        CountDownLatch firstTaskMayEnd = new CountDownLatch(1);
        Answers answers = start(recordingAppend(firstTaskMayEnd), Long.MAX_VALUE);

        body.tryEmitNext(group(0, 1));
        await(firstTaskStarted);
        body.tryEmitNext(group(1, 2));
        body.tryEmitNext(group(3, 1));
        firstTaskMayEnd.countDown();
        body.tryEmitComplete();

        assertThat(answers.await()).containsExactly("lines 0..0\n", "lines 1..3\n");
        assertThat(appends).containsExactly(List.of(0L), List.of(1L, 3L));
    }

    @Test
    void aTaskWaitsUntilTheResponseHasTakenTheLastAnswer() throws Exception {
        Answers answers = start(recordingAppend(new CountDownLatch(0)), 0);

        body.tryEmitNext(group(0, 1));
        body.tryEmitNext(group(1, 1));
        assertThat(appends).as("no answer asked for yet").isEmpty();
        answers.request(1);
        answers.awaitCount(1);
        body.tryEmitNext(group(2, 1));
        answers.request(1);
        answers.awaitCount(2);
        body.tryEmitComplete();

        assertThat(answers.await()).containsExactly("lines 0..1\n", "lines 2..2\n");
        assertThat(appends).containsExactly(List.of(0L, 1L), List.of(2L));
    }

    @Test
    void readingPausesWhileAMebibyteWaitsAndGoesOnOnceATaskTookIt() throws Exception {
        CountDownLatch firstTaskMayEnd = new CountDownLatch(1);
        Answers answers = start(recordingAppend(firstTaskMayEnd), Long.MAX_VALUE);
        body.tryEmitNext(group(0, 1)); // its task waits on the latch
        await(firstTaskStarted);
        int big = (int) (NdjsonStream.QUEUE_LIMIT / 4);

        for (int i = 0; i < 4; i++) {
            assertThat(bodyRequested.get()).as("before group " + i).isPositive();
            body.tryEmitNext(group(1 + i, 1, big));
        }

        assertThat(bodyRequested.get()).as("requested after a mebibyte waits").isZero();
        firstTaskMayEnd.countDown();
        answers.awaitCount(2);
        assertThat(bodyRequested.get()).as("requested once a task took them").isPositive();
        body.tryEmitComplete();
        assertThat(answers.await()).containsExactly("lines 0..0\n", "lines 1..4\n");
    }

    @Test
    void aFailedBodyIsAnsweredAfterTheLinesBeforeIt() throws Exception {
        Answers answers = start(recordingAppend(new CountDownLatch(0)), Long.MAX_VALUE);

        body.tryEmitNext(group(0, 2));
        body.tryEmitError(new IllegalStateException("line too long"));

        assertThat(answers.await()).containsExactly("lines 0..1\n", "error IllegalStateException\n");
    }

    @Test
    void aPauseLongerThanTheBodyTimeoutEndsTheStreamAfterTheAnswersBeforeIt() throws Exception {
        Answers answers = start(recordingAppend(new CountDownLatch(0)), Long.MAX_VALUE);
        timer.advance(999);
        body.tryEmitNext(group(0, 1));
        answers.awaitCount(1);

        timer.advance(999); // 999 ms after the last group
        assertThat(answers.completed.getCount()).as("still open").isEqualTo(1);
        timer.advance(1);

        assertThat(answers.await()).containsExactly("lines 0..0\n", "error TimeoutException\n");
        assertThat(body.currentSubscriberCount()).as("the body is cancelled").isZero();
    }

    @Test
    void aTaskThatFailsEndsTheStreamWithItsErrorLine() throws Exception {
        Answers answers = start(
                groups -> {
                    throw new SluiceException(ErrorCode.INTERNAL, "broken");
                },
                Long.MAX_VALUE);

        body.tryEmitNext(group(0, 1));

        assertThat(answers.await()).containsExactly("error SluiceException\n");
        assertThat(body.currentSubscriberCount()).as("the body is cancelled").isZero();
    }

    @Test
    void aFullStoragePoolEndsTheStreamWithItsErrorLine() throws Exception {
        storage.dispose(); // refuses every task, as a full pool does
        Answers answers = start(recordingAppend(new CountDownLatch(0)), Long.MAX_VALUE);

        body.tryEmitNext(group(0, 1));

        assertThat(answers.await())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("error ")
                .contains("RejectedExecutionException");
    }

    @Test
    void cancellingTheResponseCancelsTheBody() {
        Answers answers = start(recordingAppend(new CountDownLatch(0)), Long.MAX_VALUE);
        assertThat(body.currentSubscriberCount()).isOne();

        answers.cancel();

        assertThat(body.currentSubscriberCount()).isZero();
    }

    static IntStream seeds() {
        return IntStream.range(0, 6);
    }

    /**
     * Whatever the chunking, the timing of the tasks and the response's demand, the answers of a stream through the
     * coordinator are those of one append of all its lines (one partition, so offsets do not depend on how the lines
     * were split into requests).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aStreamAnswersWhatOneAppendOfAllItsLinesAnswers(int seed) throws Exception {
        Random random = new Random(seed);
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("stream", 1, 1, Map.of());
            f.topics.create("whole", 1, 1, Map.of());
            ProduceService produce = new ProduceService(f.topics, f.clock, f.metrics);
            HttpSupport http = new HttpSupport(MAPPER, storage, 1 << 20, TIMEOUT);
            ProduceBodies bodies = new ProduceBodies(MAPPER);
            for (int round = 0; round < 5; round++) {
                String text = NdjsonAppenderTest.randomStream(
                        random, new ProduceBodyReaderTest.RandomBodies(random, EmbeddedFormat.JSON));
                NdjsonAppender streamed =
                        new NdjsonAppender(produce, http, bodies, "stream", OptionalInt.empty(), Optional.empty());
                NdjsonAppender whole =
                        new NdjsonAppender(produce, http, bodies, "whole", OptionalInt.empty(), Optional.empty());
                NdjsonLines lines = new NdjsonLines(1 << 20);
                Flux<NdjsonLines.Group> groups = Flux.fromIterable(chunks(text, random))
                        .<NdjsonLines.Group>handle(lines::accept)
                        .concatWith(Mono.fromSupplier(lines::finish));

                Answers answers = new Answers(random.nextBoolean() ? Long.MAX_VALUE : 1);
                NdjsonStream.answers(groups, streamed::append, this::errorLine, storage, timer, TIMEOUT)
                        .subscribe(answers);

                String expected = new String(
                                whole.append(NdjsonAppenderTest.chunked(text, random)), StandardCharsets.UTF_8)
                        .replace("'whole'", "'stream'");
                assertThat(String.join("", answers.await()))
                        .as("seed " + seed + " round " + round + ": " + text)
                        .isEqualTo(expected);
            }
        }
    }

    private static List<DataBuffer> chunks(String text, Random random) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<DataBuffer> chunks = new ArrayList<>();
        for (int at = 0; at < bytes.length; ) {
            int size = Math.min(bytes.length - at, 1 + random.nextInt(200));
            chunks.add(DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(bytes, at, at + size)));
            at += size;
        }
        return chunks;
    }

    private Answers start(Function<List<NdjsonLines.Group>, byte[]> append, long demand) {
        Answers answers = new Answers(demand == Long.MAX_VALUE ? Long.MAX_VALUE : 0);
        Flux<NdjsonLines.Group> groups = body.asFlux().doOnRequest(n -> bodyRequested.addAndGet(n));
        Flux<NdjsonLines.Group> counted = groups.doOnNext(g -> bodyRequested.decrementAndGet());
        NdjsonStream.answers(counted, append, this::errorLine, storage, timer, TIMEOUT)
                .subscribe(answers);
        return answers;
    }

    /** Answers "lines a..b" for the lines of its groups, noting each call's groups by their first line. */
    private Function<List<NdjsonLines.Group>, byte[]> recordingAppend(CountDownLatch firstTaskMayEnd) {
        return groups -> {
            if (appends.isEmpty()) {
                firstTaskStarted.countDown();
                await(firstTaskMayEnd);
            }
            appends.add(groups.stream().map(NdjsonLines.Group::firstLine).toList());
            NdjsonLines.Group last = groups.get(groups.size() - 1);
            long to = last.firstLine() + last.count() - 1;
            return ("lines " + groups.get(0).firstLine() + ".." + to + "\n").getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] errorLine(Throwable e) {
        return ("error " + e.getClass().getSimpleName() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A group of {@code count} one-byte lines starting at line {@code first}. */
    private static NdjsonLines.Group group(long first, int count) {
        return group(first, count, count * 2);
    }

    private static NdjsonLines.Group group(long first, int count, int bytes) {
        int[] starts = new int[count];
        int[] ends = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = 2 * i;
            ends[i] = 2 * i + 1;
        }
        return new NdjsonLines.Group(new byte[bytes], starts, ends, count, first);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The response side: asks for answers as told and collects them. */
    private static final class Answers extends BaseSubscriber<byte[]> {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch completed = new CountDownLatch(1);
        final long initialDemand;
        volatile Throwable failure;

        Answers(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            if (initialDemand > 0) {
                request(initialDemand);
            }
        }

        @Override
        protected void hookOnNext(byte[] answer) {
            synchronized (this) {
                lines.add(new String(answer, StandardCharsets.UTF_8));
                notifyAll();
            }
            if (initialDemand == 1) {
                request(1); // one at a time, as the response writer asks
            }
        }

        @Override
        protected void hookOnComplete() {
            completed.countDown();
        }

        @Override
        protected void hookOnError(Throwable e) {
            failure = e;
            completed.countDown();
        }

        List<String> await() throws InterruptedException {
            assertThat(completed.await(10, TimeUnit.SECONDS)).as("completed").isTrue();
            assertThat(failure).isNull();
            return lines;
        }

        void awaitCount(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (this) {
                for (long left = deadline - System.nanoTime();
                        lines.size() < count && left > 0;
                        left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            assertThat(lines).hasSizeGreaterThanOrEqualTo(count);
        }
    }

    /** A timer whose time moves only when the test says; due tasks run in the calling thread. */
    private static final class ManualTimer implements Scheduler {
        private long now;
        private long sequence;
        private final PriorityQueue<long[]> due =
                new PriorityQueue<>(Comparator.<long[]>comparingLong(t -> t[0]).thenComparingLong(t -> t[1]));
        private final Map<Long, Runnable> tasks = new java.util.HashMap<>();

        synchronized void advance(long millis) {
            long until = now + millis;
            while (!due.isEmpty() && due.peek()[0] <= until) {
                long[] next = due.poll();
                now = next[0];
                Runnable task = tasks.remove(next[1]);
                if (task != null) {
                    task.run();
                }
            }
            now = until;
        }

        @Override
        public synchronized Disposable schedule(Runnable task) {
            return schedule(task, 0, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            long id = sequence++;
            tasks.put(id, task);
            due.add(new long[] {now + unit.toMillis(delay), id});
            return () -> {
                synchronized (ManualTimer.this) {
                    tasks.remove(id);
                }
            };
        }

        @Override
        public synchronized long now(TimeUnit unit) {
            return unit.convert(now, TimeUnit.MILLISECONDS);
        }

        @Override
        public Worker createWorker() {
            throw new UnsupportedOperationException("not used by the stream");
        }
    }
}
