package io.sluice.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InFlightBudgetTest {

    @Test
    void refusesWhatWouldPassTheLimitAndAdmitsAgainAfterRelease() {
        InFlightBudget budget = new InFlightBudget(100);
        assertThat(budget.tryAcquire(60)).isTrue();
        assertThat(budget.tryAcquire(50)).isFalse();
        assertThat(budget.tryAcquire(40)).isTrue();
        assertThat(budget.used()).isEqualTo(100);
        budget.release(60);
        assertThat(budget.tryAcquire(50)).isTrue();
        assertThat(budget.used()).isEqualTo(90);
    }

    @Test
    void oneRequestLargerThanTheLimitPassesWhenAloneOnly() {
        InFlightBudget budget = new InFlightBudget(100);
        assertThat(budget.tryAcquire(500)).isTrue();
        assertThat(budget.tryAcquire(1)).isFalse();
        budget.release(500);
        assertThat(budget.tryAcquire(1)).isTrue();
        assertThat(budget.tryAcquire(500)).isFalse();
    }

    @Test
    void concurrentAcquirersNeverHoldMoreThanTheLimit() throws Exception {
        InFlightBudget budget = new InFlightBudget(1000);
        AtomicLong maxSeen = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (budget.tryAcquire(7)) {
                        maxSeen.accumulateAndGet(budget.used(), Math::max);
                        budget.release(7);
                    }
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(maxSeen.get()).isLessThanOrEqualTo(1000);
        assertThat(budget.used()).isZero();
    }
}
