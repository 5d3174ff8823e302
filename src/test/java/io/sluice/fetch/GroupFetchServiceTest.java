package io.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.AutoOffsetReset;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.GroupCoordinatorConfig;
import io.sluice.group.InstanceConfig;
import io.sluice.group.ReadPermit;
import io.sluice.group.Subscription;
import io.sluice.group.offsets.InMemoryOffsetStore;
import io.sluice.group.topics.TopicServiceCatalog;
import io.sluice.group.topics.TopicServiceOffsets;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.storage.CountingReadBuffers;
import io.sluice.topic.ServicesFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group long-poll over real logs, a real fetch service and a real coordinator (in-memory offsets): wake-ups,
 * fair sharing, serialised reads of one instance, cancellation and shutdown. Waits use the system clock (the timers
 * are real); the coordinator's leases are long enough not to matter.
 */
class GroupFetchServiceTest {

    private static final String GROUP = "g";

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final DeadlineTimer deadlines = new DeadlineTimer("deadlines", Clock.system(), 5);
    private ServicesFixture f;
    private GroupCoordinator coordinator;
    private GroupFetchService reads;
    private FetchService fetch;
    private ProduceService produce;
    private final CountingReadBuffers buffers = new CountingReadBuffers();

    @BeforeEach
    void start() {
        f = new ServicesFixture(dir);
        fetch = new FetchService(f.topics, executor, deadlines, f.clock, f.metrics, 30_000, buffers);
        f.logs.addListener(fetch);
        coordinator = new GroupCoordinator(
                GroupCoordinatorConfig.defaults(),
                f.clock,
                new TopicServiceCatalog(f.topics),
                new TopicServiceOffsets(f.topics),
                new InMemoryOffsetStore());
        f.topics.addListener(topic -> coordinator.topicsChanged());
        reads = new GroupFetchService(coordinator, fetch, executor, timer, Clock.system(), 10_000);
        produce = new ProduceService(f.topics, f.clock, f.metrics);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        timer.shutdownNow();
        deadlines.close();
        f.close();
    }

    private void join(String instance, String topic) {
        coordinator.createInstance(
                GROUP, InstanceConfig.defaults().withName(instance).withAutoOffsetReset(AutoOffsetReset.EARLIEST));
        coordinator.subscribe(GROUP, instance, Subscription.topics(List.of(topic)));
    }

    private void produce(String topic, int partition, int count) {
        List<ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProduceRecord(null, ("v" + i).getBytes(), partition, List.of(), null));
        }
        produce.produce(topic, OptionalInt.of(partition), records, Optional.empty());
    }

    private CompletableFuture<GroupReadResult> read(String instance, long timeoutMs, int maxRecords) {
        return reads.read(new GroupReadRequest(GROUP, instance, timeoutMs, 1 << 20, maxRecords));
    }

    @Test
    void waitingReadAnswersAsSoonAsAnyOwnedPartitionGetsARecord() throws Exception {
        f.topics.create("t", 3, 1, Map.of());
        join("c1", "t");
        assertThat(read("c1", 0, 100).get().recordCount()).isZero(); // positions start at the empty logs

        CompletableFuture<GroupReadResult> waiting = read("c1", 10_000, 100);
        Awaitility.await()
                .until(() -> reads(waiting)
                        && coordinator.tryAcquireRead(GROUP, "c1").isEmpty());
        long start = System.nanoTime();
        produce("t", 2, 1);

        GroupReadResult result = waiting.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // not the 10 s
        assertThat(result.partitions()).hasSize(1);
        assertThat(result.partitions().get(0).partition()).isEqualTo(2);
        assertThat(coordinator.positions(GROUP, "c1")).containsEntry(new TopicPartition("t", 2), 1L);
    }

    @Test
    void anAnswerHasGivenThePermitBackSoANextReadSentOnItFindsTheInstanceFree() throws Exception {
        f.topics.create("t", 1, 1, Map.of());
        produce("t", 0, 10);
        join("c1", "t");

        // looked at the moment the answer completes, as a client sends its next read on the answer's headers
        Optional<ReadPermit> next = read("c1", 0, 4)
                .thenApply(first -> coordinator.tryAcquireRead(GROUP, "c1"))
                .get(5, TimeUnit.SECONDS);

        assertThat(next).isPresent();
        next.get().close();
        assertThat(read("c1", 0, 100).get(5, TimeUnit.SECONDS).recordCount()).isEqualTo(6);
    }

    @Test
    void batchReadsMoveThePositionsPastTheLastBatchAndNameWhereEachPartitionWasRead() throws Exception {
        f.topics.create("t", 2, 1, Map.of());
        produce("t", 0, 5);
        produce("t", 1, 3);
        join("c1", "t");
        read("c1", 0, 2).get(); // JSON records: one each, the positions are now inside the first batches

        GroupBatchesResult result = reads.readBatches(new GroupReadRequest(GROUP, "c1", 0, 1 << 20, 1))
                .get(5, TimeUnit.SECONDS);

        assertThat(result.partitions()).hasSize(2).allSatisfy(p -> {
            assertThat(p.position()).isEqualTo(1);
            assertThat(p.batches().records())
                    .as("whole batches: max_records does not apply")
                    .isGreaterThan(1);
        });
        assertThat(coordinator.positions(GROUP, "c1"))
                .containsEntry(new TopicPartition("t", 0), 5L)
                .containsEntry(new TopicPartition("t", 1), 3L);
        assertThat(reads.readBatches(new GroupReadRequest(GROUP, "c1", 0, 1 << 20, 1))
                        .get(5, TimeUnit.SECONDS)
                        .isEmpty())
                .isTrue();
        assertThat(buffers.outstanding()).as("the answer owns its two buffers").isEqualTo(2);
        result.release();
        assertThat(buffers.outstanding()).isZero();
    }

    @Test
    void aReadWhosePermitIsFreeAsksForItAndPlansInOneHandOverAndAdvancesInASecond() throws Exception {
        f.topics.create("t", 1, 1, Map.of());
        produce("t", 0, 5);
        join("c1", "t");
        AtomicInteger handOvers = new AtomicInteger();
        Executor counting = task -> {
            handOvers.incrementAndGet();
            executor.execute(task);
        };
        GroupFetchService counted = new GroupFetchService(coordinator, fetch, counting, timer, Clock.system(), 10_000);

        GroupReadResult result =
                counted.read(new GroupReadRequest(GROUP, "c1", 0, 1 << 20, 100)).get(5, TimeUnit.SECONDS);

        assertThat(result.recordCount()).isEqualTo(5);
        assertThat(handOvers).hasValue(2);
    }

    @Test
    void aBatchReadCancelledWhileItHoldsBuffersGivesThemBack() throws Exception {
        f.topics.create("t", 2, 1, Map.of());
        produce("t", 0, 5);
        produce("t", 1, 3);
        join("c1", "t");
        CompletableFuture<CompletableFuture<GroupBatchesResult>> pending = new CompletableFuture<>();
        // the client goes away exactly while the partition reads hold their memory
        buffers.onAllocate(() -> pending.join().cancel(false));

        CompletableFuture<GroupBatchesResult> read =
                reads.readBatches(new GroupReadRequest(GROUP, "c1", 0, 1 << 20, 1));
        pending.complete(read);

        Awaitility.await().until(() -> buffers.allocated() >= 1 && buffers.outstanding() == 0);
        assertThat(read).isCancelled();
        assertThat(buffers.doubleReleases()).isZero();
        assertThat(coordinator.positions(GROUP, "c1")).doesNotContainValue(5L).doesNotContainValue(3L);
    }

    @Test
    void batchReadsThatWaitForFetchMinBytesGiveBackWhatTheyReadBeforeWaiting() throws Exception {
        f.topics.create("t", 1, 1, Map.of());
        produce("t", 0, 5);
        InstanceConfig defaults =
                InstanceConfig.defaults().withName("c1").withAutoOffsetReset(AutoOffsetReset.EARLIEST);
        coordinator.createInstance(
                GROUP,
                new InstanceConfig(
                        defaults.name(),
                        defaults.format(),
                        defaults.autoOffsetReset(),
                        defaults.autoCommit(),
                        1 << 20, // far more than exists: every read before the deadline is dropped and waits
                        defaults.requestTimeoutMs(),
                        defaults.assignor()));
        coordinator.subscribe(GROUP, "c1", Subscription.topics(List.of("t")));
        CompletableFuture<GroupBatchesResult> read =
                reads.readBatches(new GroupReadRequest(GROUP, "c1", 1_000, 1 << 20, 1));
        Awaitility.await().until(() -> buffers.allocated() >= 1);
        produce("t", 0, 1); // wakes the waiting read: it reads again, still too little, and drops that read too

        GroupBatchesResult result = read.get(5, TimeUnit.SECONDS);

        assertThat(result.partitions()).hasSize(1);
        assertThat(result.partitions().get(0).batches().records()).isEqualTo(6);
        assertThat(buffers.allocated()).isGreaterThanOrEqualTo(2);
        assertThat(buffers.outstanding()).as("only the answer's buffer").isEqualTo(1);
        result.release();
        assertThat(buffers.outstanding()).isZero();
    }

    @Test
    void limitsAreSharedFairlyByThePartitionsWithData() throws Exception {
        f.topics.create("t", 2, 1, Map.of());
        produce("t", 0, 50);
        produce("t", 1, 50);
        join("c1", "t");

        GroupReadResult result = read("c1", 0, 10).get();

        assertThat(result.partitions())
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.records().decode()).hasSize(5));
        assertThat(coordinator.positions(GROUP, "c1").values()).containsOnly(5L);
    }

    @Test
    void concurrentReadsOfOneInstanceNeverReturnTheSameRecords() throws Exception {
        f.topics.create("t", 1, 1, Map.of());
        join("c1", "t");
        read("c1", 0, 100).get();
        List<CompletableFuture<GroupReadResult>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(read("c1", 3_000, 3));
        }
        Awaitility.await().until(() -> coordinator.tryAcquireRead(GROUP, "c1").isEmpty());
        produce("t", 0, 9);

        Set<Long> offsets = new HashSet<>();
        int returned = 0;
        for (CompletableFuture<GroupReadResult> read : waiting) {
            for (FetchResult partition : read.get(5, TimeUnit.SECONDS).partitions()) {
                for (FetchedRecord record : partition.records().decode()) {
                    offsets.add(record.offset());
                    returned++;
                }
            }
        }
        assertThat(returned).isEqualTo(offsets.size()).isEqualTo(9);
    }

    @Test
    void cancellingAWaitingReadGivesThePermitBack() {
        f.topics.create("t", 1, 1, Map.of());
        join("c1", "t");
        CompletableFuture<GroupReadResult> waiting = read("c1", 10_000, 100);
        Awaitility.await().until(() -> coordinator.tryAcquireRead(GROUP, "c1").isEmpty());

        waiting.cancel(false);

        Awaitility.await()
                .atMost(Duration.ofSeconds(2))
                .until(() -> coordinator
                        .tryAcquireRead(GROUP, "c1")
                        .map(permit -> {
                            permit.close();
                            return true;
                        })
                        .orElse(false));
    }

    @Test
    void memberWithoutPartitionsWakesWhenANewGenerationGivesItSome() throws Exception {
        join("c1", "later");
        CompletableFuture<GroupReadResult> waiting = read("c1", 10_000, 100);
        Awaitility.await().until(() -> coordinator.tryAcquireRead(GROUP, "c1").isEmpty());

        f.topics.create("later", 1, 1, Map.of());
        produce("later", 0, 1);

        GroupReadResult result = waiting.get(5, TimeUnit.SECONDS);
        assertThat(result.recordCount()).isEqualTo(1);
        assertThat(result.generation()).isEqualTo(2);
    }

    @Test
    void stopWaitingAnswersWaitingReadsAtOnce() throws Exception {
        f.topics.create("t", 1, 1, Map.of());
        join("c1", "t");
        CompletableFuture<GroupReadResult> waiting = read("c1", 10_000, 100);
        Awaitility.await().until(() -> coordinator.tryAcquireRead(GROUP, "c1").isEmpty());

        reads.stopWaiting();

        assertThat(waiting.get(2, TimeUnit.SECONDS).recordCount()).isZero();
        reads.resumeWaiting();
        long start = System.nanoTime();
        read("c1", 300, 100).get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void readOfAnUnknownInstanceFailsWith40403() {
        f.topics.create("t", 1, 1, Map.of());
        join("c1", "t");

        assertThatThrownBy(() -> read("nobody", 0, 10).get())
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SluiceException.class)
                .satisfies(e ->
                        assertThat(((SluiceException) e).errorCode()).isEqualTo(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND));
    }

    private static boolean reads(CompletableFuture<?> read) {
        return !read.isDone();
    }
}
