package io.sluice.api.ws;

import io.sluice.api.http.StreamGuard;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.stats.StatsSnapshot;
import io.sluice.stats.TopicStats;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The statistics feed of one WebSocket connection ({@code stats_subscribe} / {@code stats_unsubscribe}): the newest
 * sample at once, then each new one, as one inner stream of the connection's {@link FrameOutbox}; a socket that is
 * behind skips to the newest sample. Shows only the topics the principal may describe. Subscribing twice is a no-op.
 *
 * <p>Thread-safety: subscribe comes from the connection's inbound chain; {@link #unsubscribe()} may also come from
 * whichever thread closes the connection (the stop sink is volatile and stopping twice is harmless).
 */
final class StatsFeed {

    private final LiveSocketHandler.Shared shared;
    private final StreamGuard guard;
    private final FrameOutbox outbox;
    private volatile Sinks.One<Boolean> stop;

    StatsFeed(LiveSocketHandler.Shared shared, StreamGuard guard, FrameOutbox outbox) {
        this.shared = shared;
        this.guard = guard;
        this.outbox = outbox;
    }

    Mono<Void> subscribe() {
        if (stop != null) {
            return Mono.empty();
        }
        Sinks.One<Boolean> newStop = Sinks.one();
        stop = newStop;
        outbox.add(frames().takeUntilOther(newStop.asMono()));
        return Mono.empty();
    }

    Mono<Void> unsubscribe() {
        Sinks.One<Boolean> current = stop;
        stop = null;
        if (current != null) {
            current.tryEmitValue(true);
        }
        return Mono.empty();
    }

    /** The newest statistics now, then each new sample; a socket that is behind skips to the newest. */
    private Flux<String> frames() {
        Flux<StatsSnapshot> live = Flux.create(sink -> {
            Consumer<StatsSnapshot> listener = sink::next;
            shared.stats().addListener(listener);
            sink.onDispose(() -> shared.stats().removeListener(listener));
        });
        return Mono.fromSupplier(shared.stats()::latest)
                .concatWith(live.onBackpressureLatest())
                .map(this::visible)
                .map(shared.frames()::stats);
    }

    /** The statistics of the topics this principal may describe (all of them when security is off). */
    private StatsSnapshot visible(StatsSnapshot snapshot) {
        if (!guard.enforcing()) {
            return snapshot;
        }
        List<TopicStats> topics = snapshot.topics().stream()
                .filter(topic -> guard.allows(Operation.DESCRIBE, ResourceType.TOPIC, topic.topic()))
                .toList();
        return new StatsSnapshot(snapshot.time(), topics);
    }
}
