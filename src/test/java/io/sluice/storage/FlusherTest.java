package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FlusherTest {

    @Test
    void appendersWaitingDuringAnFsyncShareTheNextOne() throws Exception {
        AtomicLong end = new AtomicLong(1);
        AtomicInteger forces = new AtomicInteger();
        CountDownLatch firstForceStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstForce = new CountDownLatch(1);
        Flusher flusher = new Flusher(0, end::get, offset -> {
            if (forces.incrementAndGet() == 1) {
                firstForceStarted.countDown();
                awaitLatch(releaseFirstForce);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> first = pool.submit(() -> flushUpTo(flusher, 1));
            firstForceStarted.await();
            List<Future<?>> waiting = new ArrayList<>();
            List<Thread> waiters = new CopyOnWriteArrayList<>();
            for (int i = 2; i <= 9; i++) {
                long target = i;
                end.set(i);
                waiting.add(pool.submit(() -> {
                    waiters.add(Thread.currentThread());
                    flushUpTo(flusher, target);
                }));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> waiters.size() == 8
                            && waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            releaseFirstForce.countDown();
            first.get();
            for (Future<?> f : waiting) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(flusher.flushedOffset()).isEqualTo(9);
        assertThat(forces.get())
                .as("one fsync for the first appender, one shared by the other eight")
                .isEqualTo(2);
    }

    @Test
    void alreadyFlushedTargetReturnsWithoutAnFsync() throws IOException {
        AtomicInteger forces = new AtomicInteger();
        Flusher flusher = new Flusher(5, () -> 5, offset -> forces.incrementAndGet());
        flusher.flushUpTo(5);
        assertThat(forces.get()).isZero();
    }

    @Test
    void aFailedFsyncDoesNotAdvanceTheFlushedOffset() {
        Flusher flusher = new Flusher(0, () -> 3, offset -> {
            throw new IOException("disk gone");
        });
        try {
            flusher.flushUpTo(3);
        } catch (IOException expected) {
            // the caller takes the log offline
        }
        assertThat(flusher.flushedOffset()).isZero();
    }

    private static void flushUpTo(Flusher flusher, long target) {
        try {
            flusher.flushUpTo(target);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
