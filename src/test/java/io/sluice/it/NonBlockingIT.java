package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves the BlockHound watchdog of {@link ServerIT} is armed in this JVM, so the other server tests passing means
 * no request blocked a non-blocking thread, and that the server's requests run on its own event loops
 * ({@code QuietEventLoops}), which count as such threads.
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

    @Test
    void requestsAreServedOnTheServersOwnEventLoops() {
        api.get("/topics").expect(200);

        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("sluice-http-"));
    }
}
