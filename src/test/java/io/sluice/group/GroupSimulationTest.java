package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import io.sluice.common.ManualClock;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.offsets.InMemoryOffsetStore;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The end-to-end scenario without HTTP, driven by a seeded random schedule: one group on a 6-partition topic
 * while records keep arriving, with instances joining, leaving and silently dying mid-stream; each instance commits
 * what it processed, one step after reading it (so rebalances can fall in between). Checks: every record is delivered
 * at least once, an instance never rewinds a partition without a rebalance in between, committed offsets never
 * decrease, and the final lag is 0.
 */
class GroupSimulationTest {

    private static final int PARTITIONS = 6;
    private static final long LEASE_MS = 10_000;

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    /** Remembers what an instance read but has not committed yet, and where each partition's stream stands. */
    private static final class Reader {
        final String id;
        final Map<TopicPartition, Long> processed = new TreeMap<>();
        final Map<TopicPartition, long[]> streams = new HashMap<>(); // next offset, generation
        boolean dead;

        Reader(String id) {
            this.id = id;
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyRecordIsDeliveredAtLeastOnceAndCommitsNeverGoBack(long seed) {
        Random random = new Random(seed);
        ManualClock clock = new ManualClock();
        InMemoryTopics topics = new InMemoryTopics().create("t", PARTITIONS);
        MonotonicCheckingStore store = new MonotonicCheckingStore();
        AtomicInteger ids = new AtomicInteger();
        GroupCoordinator coordinator = new GroupCoordinator(
                GroupCoordinatorConfig.defaults().withLeaseMs(LEASE_MS),
                clock,
                topics,
                topics,
                store,
                new InMemoryGroupRegistry(),
                () -> "i" + ids.incrementAndGet());
        List<Reader> readers = new ArrayList<>();
        BitSet[] delivered = new BitSet[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            delivered[p] = new BitSet();
        }
        for (int i = 0; i < 3; i++) {
            readers.add(join(coordinator));
        }
        String context = "seed " + seed;

        for (int step = 0; step < 400; step++) {
            clock.advanceMillis(LEASE_MS / 8);
            topics.append(new TopicPartition("t", random.nextInt(PARTITIONS)), random.nextInt(30), 1);
            int event = random.nextInt(40);
            List<Reader> live = readers.stream().filter(r -> !r.dead).toList();
            if (event == 0) {
                readers.add(join(coordinator));
            } else if (event == 1 && live.size() > 1) {
                Reader leaving = live.get(random.nextInt(live.size()));
                commit(coordinator, leaving);
                coordinator.deleteInstance("g", leaving.id);
                leaving.dead = true;
            } else if (event == 2 && live.size() > 1) {
                live.get(random.nextInt(live.size())).dead = true; // silently stops calling
            }
            for (Reader reader : readers) {
                if (!reader.dead) {
                    commit(coordinator, reader);
                    read(coordinator, reader, 1 + random.nextInt(20), delivered, context);
                }
            }
            coordinator.tick();
        }
        // drain: the survivors read and commit until nothing is left
        for (int round = 0; round < 10_000 && coordinator.describe("g").totalLag() > 0; round++) {
            clock.advanceMillis(1);
            for (Reader reader : readers) {
                if (!reader.dead) {
                    read(coordinator, reader, 50, delivered, context);
                    commit(coordinator, reader);
                }
            }
        }

        assertThat(coordinator.describe("g").totalLag()).as(context).isZero();
        for (int p = 0; p < PARTITIONS; p++) {
            long end = topics.logEndOffset(new TopicPartition("t", p));
            assertThat(delivered[p].nextClearBit(0))
                    .as("%s partition %d", context, p)
                    .isGreaterThanOrEqualTo((int) end);
        }
        assertThat(store.violations).as(context).isEmpty();
        assertThat(store.commits).as(context).isGreaterThan(100);
    }

    private static Reader join(GroupCoordinator coordinator) {
        String id = coordinator
                .createInstance("g", CoordinatorFixture.manualCommit())
                .instanceId();
        coordinator.subscribe("g", id, Subscription.topics(List.of("t")));
        return new Reader(id);
    }

    private static void read(GroupCoordinator coordinator, Reader reader, int max, BitSet[] delivered, String context) {
        Optional<ReadPermit> maybe = coordinator.tryAcquireRead("g", reader.id);
        assertThat(maybe).as("%s: nobody else reads %s", context, reader.id).isPresent();
        try (ReadPermit permit = maybe.get()) {
            ReadPlan plan = coordinator.planRead(permit);
            Map<TopicPartition, Long> next = new TreeMap<>();
            for (PartitionRead r : plan.reads()) {
                long[] stream = reader.streams.get(r.partition());
                if (stream != null && stream[0] != r.offset()) {
                    assertThat(stream[1])
                            .as("%s: %s rewound %s without a rebalance", context, reader.id, r.partition())
                            .isLessThan(plan.generation());
                }
                long end = Math.min(r.logEndOffset(), r.offset() + max);
                delivered[r.partition().partition()].set((int) r.offset(), (int) end);
                next.put(r.partition(), end);
                reader.streams.put(r.partition(), new long[] {end, plan.generation()});
            }
            coordinator.advance(permit, plan, next);
            reader.processed.putAll(next);
        }
    }

    /** Commits what the reader processed; partitions it lost in the meantime are refused and simply dropped. */
    private static void commit(GroupCoordinator coordinator, Reader reader) {
        Map<TopicPartition, Long> owned = new TreeMap<>(reader.processed);
        owned.keySet().retainAll(coordinator.assignment("g", reader.id).partitions());
        try {
            coordinator.commit("g", reader.id, owned);
        } catch (SluiceException e) {
            throw new AssertionError("commit of owned partitions refused: " + e.getMessage(), e);
        }
        if (!owned.equals(reader.processed)) {
            Map<TopicPartition, Long> stale = new TreeMap<>(reader.processed);
            stale.keySet().removeAll(owned.keySet());
            try {
                coordinator.commit("g", reader.id, stale);
                throw new AssertionError("stale commit accepted: " + stale);
            } catch (SluiceException e) {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_OWNER);
            }
        }
        reader.processed.clear();
    }

    /** An in-memory store that records every commit that would move an offset backwards. */
    private static final class MonotonicCheckingStore extends ForwardingOffsetStore {
        final List<String> violations = new ArrayList<>();
        int commits;

        MonotonicCheckingStore() {
            super(new InMemoryOffsetStore());
        }

        @Override
        public synchronized void commit(String group, Map<TopicPartition, CommittedOffset> offsets) {
            Map<TopicPartition, CommittedOffset> before = delegate.committed(group);
            offsets.forEach((tp, c) -> {
                CommittedOffset old = before.get(tp);
                if (old != null && c.offset() < old.offset()) {
                    violations.add(tp + ": " + old.offset() + " -> " + c.offset());
                }
            });
            commits++;
            delegate.commit(group, offsets);
        }
    }
}
