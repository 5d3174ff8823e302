package io.sluice.api.ws;

import io.sluice.api.http.QuotaFilter;
import io.sluice.api.http.StreamGuard;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.security.live.LiveStream;
import io.sluice.security.live.OpenStreams;
import io.sluice.security.live.StreamIdentity;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * One WebSocket connection: its lifecycle, its inbound operations and its outbound frame stream. Record subscriptions
 * are {@link SocketSubscriptions}', the statistics feed is {@link StatsFeed}'s.
 *
 * <p>Outbound is one merge of (a) a bounded queue of control frames and (b) one inner stream per subscription, each
 * pulled with prefetch 1 from a {@link io.sluice.stream.TopicCursor}, written one frame at a time, so the log is read
 * only when the socket has written the previous frame. Inbound
 * operations are handled one at a time, in order. A watchdog closes the socket when frames have waited longer than the
 * slow-client timeout without the socket asking for any, or when the control queue overflows.
 *
 * <p>Security: every operation is checked against the connection's {@link StreamGuard} before it touches anything
 * (subscribe: READ on the topic, and on the group for a member; produce: WRITE on the topic; ack: READ on the group);
 * a denial is a recoverable error frame (40301) naming only what the client asked for. The connection is registered
 * in {@link OpenStreams}: when its credential is revoked or expires it gets a fatal 40101 error frame and is closed
 * with status 1008; when ACLs change, each subscription no longer allowed ends with a 40301 error frame. The
 * statistics feed shows only topics the principal may describe.
 *
 * <p>Thread-safety: inbound operations run one at a time; control frames may be emitted from any thread and are
 * serialised by {@link #emit}; subscription state lives in concurrent maps.
 */
final class SocketConnection {

    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);
    private static final CloseStatus SLOW = new CloseStatus(1008, "client too slow");
    private static final CloseStatus CREDENTIAL_ENDED = new CloseStatus(1008, "credential no longer valid");
    private static final Duration HARD_CLOSE_GRACE = Duration.ofSeconds(2);

    private final LiveSocketHandler.Shared shared;
    private final WebSocketSession session;
    private final StreamGuard guard;
    private final FrameOutbox outbox;
    private final Sinks.One<Boolean> closing = Sinks.one();
    private final SocketSubscriptions subscriptions;
    private final StatsFeed stats;
    private final SocketQuota quota;
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketConnection(LiveSocketHandler.Shared shared, WebSocketSession session, StreamGuard guard) {
        this.shared = shared;
        this.session = session;
        this.guard = guard;
        this.outbox = new FrameOutbox(
                shared.settings().maxPendingFrames(),
                shared.settings().maxSubscriptions() + 1,
                shared.clock(),
                shared.framesQueued());
        this.quota = new SocketQuota(shared.quotas(), principal(guard), shared.timer());
        this.subscriptions = new SocketSubscriptions(shared, guard, outbox, quota, this::emit);
        this.stats = new StatsFeed(shared, guard, outbox);
    }

    Mono<Void> run() {
        // One frame at a time, the next asked of the socket only once the previous one is done (no read-ahead queue):
        // what a connection holds of its client's frames (its produce bytes in flight) is the frame being handled
        // plus what the network layer already read; reading then pauses and TCP flow control holds back the rest.
        Mono<Void> inbound = session.receive()
                .map(message -> new Inbound(
                        message.getPayloadAsText(), message.getPayload().readableByteCount()))
                .concatMap(this::onFrame, 1)
                .takeUntilOther(closing.asMono())
                .then()
                .doFinally(signal -> shutdown());
        Flux<String> frames = outbox.frames();
        // One frame at a time: the next is taken only when the previous one was written to the socket, so a client
        // that stops reading holds at most one frame in the network layer, and the log is not read for it.
        Mono<Void> outbound = frames.concatMap(frame -> session.send(Mono.just(session.textMessage(frame))), 1)
                .takeUntilOther(closing.asMono())
                .then();
        Mono<Void> watchdog = Flux.interval(checkInterval(), shared.timer())
                .takeUntilOther(closing.asMono())
                .doOnNext(tick -> checkSlow())
                .then();
        shared.connections().incrementAndGet();
        OpenStreams.Registration registration = guard.register(new Watch());
        return Mono.when(inbound, outbound, watchdog).doFinally(signal -> {
            registration.close();
            shutdown();
            shared.connections().decrementAndGet();
        });
    }

    /** This connection as the security registry sees it. */
    private final class Watch implements LiveStream {
        @Override
        public StreamIdentity identity() {
            return guard.identity();
        }

        @Override
        public void end(End why) {
            closeWith(
                    ErrorCode.UNAUTHORIZED,
                    why == End.EXPIRED ? "the credential expired" : "the credential was revoked",
                    CREDENTIAL_ENDED,
                    true);
        }

        @Override
        public void recheck() {
            subscriptions.recheck();
        }
    }

    /** A frame from the client: its text and its size on the wire. */
    private record Inbound(String text, int bytes) {}

    private Mono<Void> onFrame(Inbound inbound) {
        String text = inbound.text();
        if (closed.get()) {
            return Mono.empty(); // closing (slow client, credential ended): no new work
        }
        JsonNode frame;
        String op;
        try {
            frame = shared.ops().parse(text);
            op = ClientOps.requiredText(frame, "op");
        } catch (SluiceException e) {
            emitError(e, null, null);
            return Mono.empty();
        }
        return Mono.defer(() -> dispatch(op, frame, inbound.bytes()))
                .onErrorResume(SluiceException.class, e -> {
                    emitError(e, ClientOps.referenceField(op), ClientOps.reference(frame, op));
                    return Mono.empty();
                })
                .onErrorResume(e -> {
                    log.warn("websocket operation {} failed", op, e);
                    emitError(
                            new SluiceException(ErrorCode.INTERNAL, "internal error"),
                            ClientOps.referenceField(op),
                            ClientOps.reference(frame, op));
                    return Mono.empty();
                });
    }

    private Mono<Void> dispatch(String op, JsonNode frame, int bytes) {
        switch (op) {
            case "subscribe":
                return subscriptions.subscribe(shared.ops().subscribe(frame));
            case "unsubscribe":
                return subscriptions.unsubscribe(shared.ops().id(frame));
            case "credit":
                return subscriptions.credit(shared.ops().id(frame), shared.ops().records(frame));
            case "produce":
                return produce(shared.ops().produce(frame), bytes);
            case "stats_subscribe":
                return stats.subscribe();
            case "stats_unsubscribe":
                return stats.unsubscribe();
            case "ack":
                return subscriptions.ack(shared.ops().id(frame), shared.ops().ackOffsets(frame));
            default:
                throw new SluiceException(ErrorCode.INVALID_REQUEST, "unknown op '" + op + "'");
        }
    }

    /** WRITE on the topic, checked before the frame is charged; then paced by the produce quota. */
    private Mono<Void> produce(ClientOps.Produce request, int bytes) {
        guard.require(Operation.WRITE, ResourceType.TOPIC, request.topic(), "WS produce");
        return quota.produce(bytes)
                .then(Mono.fromCallable(() -> shared.producer().produce(request.topic(), request.records()))
                        .subscribeOn(shared.storageScheduler()))
                .doOnNext(placed -> emit(shared.frames().produced(request.correlationId(), placed)))
                .then();
    }

    private void emitError(SluiceException e, String refField, String ref) {
        emit(shared.frames().error(e.errorCode(), e.getMessage(), false, refField, ref));
    }

    /** Queues a control frame; a full queue means the client is too slow. */
    private void emit(String frame) {
        if (!closed.get() && !outbox.offer(frame)) {
            closeSlow("more than " + shared.settings().maxPendingFrames() + " frames waiting");
        }
    }

    private void checkSlow() {
        if (outbox.stalledFor(shared.settings().slowClientTimeout())) {
            closeSlow("no frame taken for "
                    + shared.settings().slowClientTimeout().toMillis() + " ms");
        }
    }

    private void closeSlow(String why) {
        log.info("closing slow websocket client {}: {}", session.getId(), why);
        closeWith(ErrorCode.TOO_MANY_REQUESTS, "client too slow: " + why, SLOW, false);
    }

    /**
     * Sends a fatal error frame, then closes with {@code status}. Once per connection; callable from any thread. A slow
     * client's handler ends at once (its socket may never take the frames); a credential's end first stops every
     * stream of the socket, and the handler ends only once the close frame went out (at most {@link #HARD_CLOSE_GRACE}
     * later), so the client sees the 1008 status instead of the server's normal close.
     */
    private void closeWith(ErrorCode code, String message, CloseStatus status, boolean waitForClose) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String frame = shared.frames().error(code, message, true, null, null);
        // Best effort: the socket may be congested, so the frame and the close frame may never get through; ending
        // the handler (closing) makes the server release the connection either way.
        Mono<Void> close = session.send(Mono.just(session.textMessage(frame)))
                .then(session.close(status))
                .timeout(HARD_CLOSE_GRACE, Mono.empty(), shared.timer())
                .onErrorResume(e -> Mono.empty());
        if (waitForClose) {
            subscriptions.stopAll();
            stats.unsubscribe();
            close.doFinally(signal -> closing.tryEmitValue(true)).subscribe();
        } else {
            close.subscribe();
            closing.tryEmitValue(true);
        }
    }

    private void shutdown() {
        closed.set(true);
        closing.tryEmitValue(true);
        subscriptions.clear();
        stats.unsubscribe();
        outbox.discard();
    }

    /** The principal whose quotas the connection uses: the authenticated one, or the HTTP filter's anonymous one. */
    private static String principal(StreamGuard guard) {
        return guard.identity() == null
                ? QuotaFilter.ANONYMOUS
                : guard.identity().principal();
    }

    private Duration checkInterval() {
        Duration timeout = shared.settings().slowClientTimeout();
        return timeout.dividedBy(4).isZero() ? Duration.ofMillis(1) : timeout.dividedBy(4);
    }
}
