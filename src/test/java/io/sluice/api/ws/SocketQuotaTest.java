package io.sluice.api.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import io.sluice.quota.QuotaLimits;
import io.sluice.quota.QuotaManager;
import io.sluice.quota.Traffic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class SocketQuotaTest {

    private final ManualClock clock = new ManualClock();
    private final QuotaManager quotas =
            new QuotaManager(clock, new QuotaLimits(1000, 1000, 0), Map.of(), Duration.ofSeconds(1));
    private final SocketQuota alice = new SocketQuota(quotas, "alice", Schedulers.immediate());

    @Test
    void aFrameGoesAtOnceUntilThePrincipalIsInDebtThenWaitsItOff() {
        // the burst (1 s = 1000 B) goes at once and 5000 B overdraw it by 4000 B: 4 s of debt
        assertThat(alice.charge(Traffic.PRODUCE, 5000)).isZero();
        assertThat(alice.charge(Traffic.PRODUCE, 10)).isEqualTo(TimeUnit.SECONDS.toNanos(4));
        assertThat(alice.charge(Traffic.READ, 10))
                .as("reads have their own bucket")
                .isZero();
        assertThat(new SocketQuota(quotas, "bob", Schedulers.immediate()).charge(Traffic.PRODUCE, 10))
                .as("bob has his own")
                .isZero();
        clock.advanceMillis(4_010);
        assertThat(alice.charge(Traffic.PRODUCE, 10)).isZero();
    }

    @Test
    void aProduceWithinQuotaIsNotDelayed() {
        assertThat(alice.produce(100).block(Duration.ofSeconds(1))).isNull();
        assertThat(quotas.debt("alice", Traffic.PRODUCE)).isZero();
    }

    @Test
    void subscriptionFramesAreChargedToTheReadQuota() {
        assertThat(alice.paced(Flux.just("x".repeat(3000))).collectList().block(Duration.ofSeconds(1)))
                .hasSize(1);
        assertThat(quotas.debt("alice", Traffic.READ)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(quotas.debt("alice", Traffic.PRODUCE)).isZero();
    }

    @Test
    void withoutQuotasNothingIsMeteredOrDelayed() {
        QuotaManager off = new QuotaManager(clock, new QuotaLimits(0, 0, 0), Map.of(), Duration.ofSeconds(1));
        Flux<String> frames = Flux.just("a");
        assertThat(new SocketQuota(off, "alice", Schedulers.immediate()).paced(frames))
                .isSameAs(frames);
        assertThat(new SocketQuota(null, "alice", Schedulers.immediate()).paced(frames))
                .isSameAs(frames);
    }

    @Test
    void aFrameIsChargedItsUtf8Size() {
        for (String text :
                new String[] {"", "plain", "caf\u00e9", "\u20ac5", "\ud83d\ude00!", "{\"v\":\"\u00fc\u00df\"}"}) {
            assertThat(SocketQuota.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
