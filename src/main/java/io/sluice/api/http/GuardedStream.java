package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.security.live.LiveStream;
import io.sluice.security.live.StreamIdentity;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A one-topic HTTP stream (SSE or NDJSON follow) registered as a {@link LiveStream} while it runs: when its credential
 * is revoked or expires, or the caller may no longer read the topic, the stream stops, sends one last element built
 * from the error (an {@code error} event, an error line) and completes. Thread-safe: {@link #end} and {@link #recheck}
 * may come from any thread; the first reason wins.
 */
final class GuardedStream implements LiveStream {

    private final StreamGuard guard;
    private final String topic;
    private final AtomicReference<SluiceException> reason = new AtomicReference<>();
    private final Sinks.One<Boolean> stop = Sinks.one();

    private GuardedStream(StreamGuard guard, String topic) {
        this.guard = guard;
        this.topic = topic;
    }

    /** {@code body} until security ends it, then {@code last} of the reason. */
    static <T> Flux<T> of(StreamGuard guard, String topic, Flux<T> body, Function<SluiceException, T> last) {
        GuardedStream stream = new GuardedStream(guard, topic);
        return Flux.using(
                () -> guard.register(stream),
                registration -> body.takeUntilOther(stream.stop.asMono()).concatWith(Flux.defer(() -> {
                    SluiceException why = stream.reason.get();
                    return why == null ? Flux.empty() : Flux.just(last.apply(why));
                })),
                registration -> registration.close());
    }

    @Override
    public StreamIdentity identity() {
        return guard.identity();
    }

    @Override
    public void end(End why) {
        stop(new SluiceException(
                ErrorCode.UNAUTHORIZED, why == End.EXPIRED ? "the credential expired" : "the credential was revoked"));
    }

    @Override
    public void recheck() {
        if (!guard.allows(Operation.READ, ResourceType.TOPIC, topic)) {
            stop(new SluiceException(ErrorCode.FORBIDDEN, "not authorized to READ topic '" + topic + "' any more"));
        }
    }

    private void stop(SluiceException why) {
        if (reason.compareAndSet(null, why)) {
            stop.tryEmitValue(true);
        }
    }
}
