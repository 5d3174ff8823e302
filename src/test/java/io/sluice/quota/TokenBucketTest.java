package io.sluice.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenBucketTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aFullBucketGivesItsBurstThenRefusesWithTheTimeUntilTheNextUnit() {
        TokenBucket bucket = new TokenBucket(10, Duration.ofSeconds(1), clock.nanoseconds());
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryTake(1, clock.nanoseconds())).as("take %d", i).isZero();
        }
        assertThat(bucket.tryTake(1, clock.nanoseconds())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        clock.advanceMillis(99);
        assertThat(bucket.tryTake(1, clock.nanoseconds())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        clock.advanceMillis(1);
        assertThat(bucket.tryTake(1, clock.nanoseconds())).isZero();
    }

    @Test
    void anIdleBucketRefillsOnlyUpToItsBurst() {
        TokenBucket bucket = new TokenBucket(5, Duration.ofSeconds(2), clock.nanoseconds());
        clock.advanceMillis(60_000);
        int taken = 0;
        while (bucket.tryTake(1, clock.nanoseconds()) == 0) {
            taken++;
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void chargingPastTheLimitLeavesADebtThatTimePaysOff() {
        TokenBucket bucket = new TokenBucket(1000, Duration.ofSeconds(1), clock.nanoseconds());
        bucket.charge(1000, clock.nanoseconds());
        assertThat(bucket.waitNanos(clock.nanoseconds())).isZero();
        bucket.charge(3000, clock.nanoseconds());
        assertThat(bucket.waitNanos(clock.nanoseconds())).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        clock.advanceMillis(2500);
        assertThat(bucket.waitNanos(clock.nanoseconds())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        clock.advanceMillis(500);
        assertThat(bucket.waitNanos(clock.nanoseconds())).isZero();
    }

    @Test
    void aBurstSmallerThanOneUnitStillLetsOneUnitThrough() {
        TokenBucket bucket = new TokenBucket(0.5, Duration.ofMillis(10), clock.nanoseconds());
        assertThat(bucket.tryTake(1, clock.nanoseconds())).isZero();
        assertThat(bucket.tryTake(1, clock.nanoseconds())).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void aRateOfZeroIsRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Over any run of random arrivals, what is admitted never exceeds rate × (burst + elapsed). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void admittedUnitsNeverExceedRateTimesBurstPlusElapsed(long seed) {
        Random random = new Random(seed);
        double rate = 1 + random.nextInt(1000);
        Duration burst = Duration.ofMillis(1 + random.nextInt(2000));
        long start = clock.nanoseconds();
        TokenBucket bucket = new TokenBucket(rate, burst, start);
        long admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            clock.advance(random.nextInt(5_000_000), TimeUnit.NANOSECONDS);
            long units = 1 + random.nextInt(5);
            if (bucket.tryTake(units, clock.nanoseconds()) == 0) {
                admitted += units;
            }
            double elapsed = (clock.nanoseconds() - start) / 1e9;
            double bound = rate * (elapsed + Math.max(burst.toNanos() / 1e9, 1 / rate)) + 1;
            assertThat((double) admitted).as("seed %d, step %d", seed, i).isLessThanOrEqualTo(bound);
        }
        double elapsed = (clock.nanoseconds() - start) / 1e9;
        assertThat((double) admitted)
                .as("seed %d: a busy client gets close to the rate", seed)
                .isGreaterThan(rate * elapsed * 0.9 - 10);
    }
}
