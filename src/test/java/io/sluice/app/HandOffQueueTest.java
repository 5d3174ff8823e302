package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandOffQueueTest {

    @Test
    void refusesBeyondItsCapacityAndCountsWhatIsTaken() throws InterruptedException {
        HandOffQueue queue = new HandOffQueue(2);
        assertThat(queue.offer(() -> {})).isTrue();
        assertThat(queue.offer(() -> {})).isTrue();
        assertThat(queue.offer(() -> {})).isFalse();
        assertThat(queue.remainingCapacity()).isZero();

        assertThat(queue.poll()).isNotNull();
        assertThat(queue.remainingCapacity()).isEqualTo(1);
        assertThat(queue.poll(1, TimeUnit.MILLISECONDS)).isNotNull();
        assertThat(queue.poll()).isNull();
        assertThat(queue.remainingCapacity()).isEqualTo(2);

        Runnable task = () -> {};
        queue.offer(task);
        queue.offer(() -> {});
        assertThat(queue.remove(task)).isTrue();
        List<Runnable> drained = new ArrayList<>();
        queue.drainTo(drained);
        assertThat(drained).hasSize(1);
        assertThat(queue.remainingCapacity()).isEqualTo(2);
    }

    @Test
    void aPoolOnItRunsEverythingItAcceptsAndRejectsWhenFull() throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new HandOffQueue(3));
        pool.prestartAllCoreThreads();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try {
            pool.execute(() -> {
                started.countDown();
                await(release);
                ran.incrementAndGet();
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                pool.execute(ran::incrementAndGet);
            }
            assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
            release.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran).hasValue(4);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
