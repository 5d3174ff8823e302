package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves the BlockHound watchdog of {@link ServerIT} is armed in this JVM, so the other server tests passing means
 * no request blocked a non-blocking thread.
 */
class NonBlockingIT extends ServerIT {

    @Test
    void blockingOnANonBlockingThreadIsCaught() {
        Mono<String> blocking = Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                })
                .subscribeOn(Schedulers.parallel());

        assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }
}
