package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Real threads hammering one group: members joining, reading, committing and leaving while housekeeping and views run
 * alongside. Only the errors a client can legitimately get may occur, and the end state must be a valid assignment.
 */
class GroupCoordinatorConcurrencyTest extends CoordinatorFixture {

    private static final Set<ErrorCode> EXPECTED =
            EnumSet.of(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, ErrorCode.NOT_OWNER, ErrorCode.ALREADY_EXISTS);

    @Test
    void concurrentMembersHousekeepingAndViewsKeepTheGroupConsistent() throws Exception {
        for (int p = 0; p < 6; p++) {
            topics.append(tp(p), 1_000, 1);
        }
        coordinator.deleteInstance(
                GROUP, coordinator.createInstance(GROUP, manualCommit()).instanceId());
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch members = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                try {
                    memberLoop(new Random(seed), "m" + seed, unexpected);
                } finally {
                    members.countDown();
                }
            }));
        }
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                guard(unexpected, () -> {
                    coordinator.tick();
                    GroupView view = coordinator.describe(GROUP);
                    coordinator.listGroups();
                    assertThat(view.partitions().size()).isLessThanOrEqualTo(6);
                });
            }
        }));
        threads.forEach(Thread::start);
        assertThat(members.await(60, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        assertThat(unexpected).isEmpty();
        GroupView end = coordinator.describe(GROUP);
        Set<TopicPartition> seen = new HashSet<>();
        for (MemberView m : end.members()) {
            for (TopicPartition tp : m.assignment()) {
                assertThat(seen.add(tp)).as("%s owned twice", tp).isTrue();
            }
        }
        assertThat(seen).hasSize(end.members().isEmpty() ? 0 : 6);
    }

    /**
     * A delete racing a create of the same group must not wipe the definition the create saves. The store's delete is
     * held open until the creating thread has either finished (the bug: it made a new group meanwhile) or is blocked
     * on the group's monitor (correct: it waits for the delete to finish).
     */
    @Test
    void aCreateRacingADeleteOfTheSameGroupKeepsItsDefinition() throws Exception {
        CountDownLatch deleting = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        OffsetStore blocking = new ForwardingOffsetStore(store) {
            @Override
            public void deleteGroup(String group) {
                deleting.countDown();
                awaitQuietly(proceed);
                super.deleteGroup(group);
            }
        };
        GroupCoordinator c = new GroupCoordinator(GroupCoordinatorConfig.defaults(), clock, topics, topics, blocking);
        c.deleteInstance(GROUP, c.createInstance(GROUP, manualCommit()).instanceId());
        Thread deleter = new Thread(() -> c.deleteGroup(GROUP));
        deleter.start();
        assertThat(deleting.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<InstanceInfo> created = new CompletableFuture<>();
        Thread creator = new Thread(() -> created.complete(c.createInstance(GROUP, manualCommit())));
        creator.start();

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> created.isDone() || creator.getState() == Thread.State.BLOCKED);
        proceed.countDown();
        deleter.join(10_000);
        String id = created.get(10, TimeUnit.SECONDS).instanceId();

        assertThat(store.group(GROUP)).isPresent();
        assertThat(c.instance(GROUP, id).instanceId()).isEqualTo(id);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void memberLoop(Random random, String name, ConcurrentLinkedQueue<Throwable> unexpected) {
        for (int round = 0; round < 30; round++) {
            guard(unexpected, () -> {
                String id = coordinator
                        .createInstance(GROUP, manualCommit().withName(name))
                        .instanceId();
                coordinator.subscribe(GROUP, id, Subscription.topics(List.of("t")));
                for (int i = 0; i < 1 + random.nextInt(10); i++) {
                    Optional<ReadPermit> permit = coordinator.tryAcquireRead(GROUP, id);
                    if (permit.isEmpty()) {
                        continue;
                    }
                    try (ReadPermit p = permit.get()) {
                        ReadPlan plan = coordinator.planRead(p);
                        Map<TopicPartition, Long> next = new TreeMap<>();
                        plan.reads().forEach(r -> next.put(r.partition(), Math.min(r.logEndOffset(), r.offset() + 5)));
                        Map<TopicPartition, Long> moved = coordinator.advance(p, plan, next);
                        coordinator.commit(GROUP, id, moved);
                    }
                }
                if (random.nextBoolean()) {
                    coordinator.deleteInstance(GROUP, id);
                } else {
                    coordinator.unsubscribe(GROUP, id);
                    coordinator.deleteInstance(GROUP, id);
                }
            });
        }
        guard(unexpected, () -> {
            String id = coordinator
                    .createInstance(GROUP, manualCommit().withName(name))
                    .instanceId();
            coordinator.subscribe(GROUP, id, Subscription.topics(List.of("t")));
        });
    }

    private static void guard(ConcurrentLinkedQueue<Throwable> unexpected, Runnable body) {
        try {
            body.run();
        } catch (SluiceException e) {
            if (!EXPECTED.contains(e.errorCode())) {
                unexpected.add(e);
            }
        } catch (Throwable e) {
            unexpected.add(e);
        }
    }
}
