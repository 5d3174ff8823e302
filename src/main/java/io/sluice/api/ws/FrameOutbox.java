package io.sluice.api.ws;

import io.sluice.common.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The frames waiting for one socket: a bounded queue of control frames ({@code produced}, {@code error}, ...) merged
 * with one pull-based stream per subscription (prefetch 1, so a stream is asked for its next frame only when the
 * socket took the previous one). Counts frames that are ready but not yet taken and remembers when the socket last
 * asked for one, which is what the slow-client check looks at.
 *
 * <p>Thread-safety: {@link #offer} and {@link #add} may be called from any thread (they are serialised here);
 * {@link #frames()} is subscribed once, by the socket.
 */
final class FrameOutbox {

    private final Sinks.Many<String> control;
    private final Sinks.Many<Flux<String>> streams = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong queuedOnAllSockets;
    private final Clock clock;
    private final int maxStreams;
    private volatile long lastDemandNanos;

    FrameOutbox(int maxPendingFrames, int maxStreams, Clock clock, AtomicLong queuedOnAllSockets) {
        this.control = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(maxPendingFrames));
        this.maxStreams = maxStreams;
        this.clock = clock;
        this.queuedOnAllSockets = queuedOnAllSockets;
        this.lastDemandNanos = clock.nanoseconds();
    }

    /** Every frame for the socket, in the order the socket asks for them. */
    Flux<String> frames() {
        return Flux.merge(2, control.asFlux(), streams.asFlux().flatMap(stream -> stream, maxStreams, 1))
                .doOnNext(frame -> taken())
                .doOnRequest(n -> lastDemandNanos = clock.nanoseconds());
    }

    /** Queues a control frame; false if the queue is full (the client is too slow). */
    synchronized boolean offer(String frame) {
        Sinks.EmitResult result = control.tryEmitNext(frame);
        if (result.isSuccess()) {
            ready();
        }
        return result != Sinks.EmitResult.FAIL_OVERFLOW;
    }

    /** Adds a stream of frames (a subscription, the statistics feed), pulled one frame at a time. */
    synchronized void add(Flux<String> stream) {
        streams.tryEmitNext(stream.doOnNext(frame -> ready()));
    }

    /** Whether frames are ready and the socket has asked for none for longer than {@code timeout}. */
    boolean stalledFor(Duration timeout) {
        return pending.get() > 0 && clock.nanoseconds() - lastDemandNanos > timeout.toNanos();
    }

    /** Forgets the frames still waiting (the socket is closing). */
    void discard() {
        queuedOnAllSockets.addAndGet(-pending.getAndSet(0));
    }

    private void ready() {
        pending.incrementAndGet();
        queuedOnAllSockets.incrementAndGet();
    }

    private void taken() {
        pending.decrementAndGet();
        queuedOnAllSockets.decrementAndGet();
    }
}
