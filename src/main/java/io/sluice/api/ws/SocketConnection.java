package io.sluice.api.ws;

import io.sluice.api.http.CursorFlux;
import io.sluice.api.http.StreamGuard;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.security.live.LiveStream;
import io.sluice.security.live.OpenStreams;
import io.sluice.security.live.StreamIdentity;
import io.sluice.stats.StatsSnapshot;
import io.sluice.stats.TopicStats;
import io.sluice.stream.Credits;
import io.sluice.stream.CursorEvent;
import io.sluice.stream.PositionToken;
import io.sluice.stream.TopicCursor;
import io.sluice.stream.TopicCursors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * One WebSocket connection: its subscriptions, its statistics feed and its outbound frame stream.
 *
 * <p>Outbound is one merge of (a) a bounded queue of control frames and (b) one inner stream per subscription, each
 * pulled with prefetch 1 from a {@link TopicCursor}, written one frame at a time, so the log is read only when the
 * socket has written the previous frame. Inbound
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
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Sinks.One<Boolean> statsStop;

    /**
     * A running subscription; {@code stop} ends its stream (unsubscribe), {@code credits} is null without credit,
     * {@code group} holds the group member once joined (stays empty for a plain subscription), {@code denied} is set
     * when an ACL change took away the right to continue.
     */
    private record Subscription(
            String id,
            ClientOps.Subscribe request,
            Sinks.One<Boolean> stop,
            Credits credits,
            AtomicReference<GroupStream> group,
            AtomicReference<SluiceException> denied) {}

    SocketConnection(LiveSocketHandler.Shared shared, WebSocketSession session, StreamGuard guard) {
        this.shared = shared;
        this.session = session;
        this.guard = guard;
        this.outbox = new FrameOutbox(
                shared.settings().maxPendingFrames(),
                shared.settings().maxSubscriptions() + 1,
                shared.clock(),
                shared.framesQueued());
    }

    Mono<Void> run() {
        Mono<Void> inbound = session.receive()
                .map(WebSocketMessage::getPayloadAsText)
                .concatMap(this::onFrame)
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
            subscriptions.values().forEach(SocketConnection.this::recheck);
        }
    }

    private Mono<Void> onFrame(String text) {
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
        return Mono.defer(() -> dispatch(op, frame))
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

    private Mono<Void> dispatch(String op, JsonNode frame) {
        switch (op) {
            case "subscribe":
                return subscribe(shared.ops().subscribe(frame));
            case "unsubscribe":
                return unsubscribe(shared.ops().id(frame));
            case "credit":
                return credit(shared.ops().id(frame), shared.ops().records(frame));
            case "produce":
                return produce(shared.ops().produce(frame));
            case "stats_subscribe":
                return statsSubscribe();
            case "stats_unsubscribe":
                return statsUnsubscribe();
            case "ack":
                return ack(shared.ops().id(frame), shared.ops().ackOffsets(frame));
            default:
                throw new SluiceException(ErrorCode.INVALID_REQUEST, "unknown op '" + op + "'");
        }
    }

    private Mono<Void> subscribe(ClientOps.Subscribe request) {
        guard.require(Operation.READ, ResourceType.TOPIC, request.topic(), "WS subscribe");
        if (request.group() != null) {
            guard.require(Operation.READ, ResourceType.GROUP, request.group(), "WS subscribe");
        }
        if (subscriptions.containsKey(request.id())) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "subscription id '" + request.id() + "' is in use");
        }
        if (subscriptions.size() >= shared.settings().maxSubscriptions()) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST,
                    "at most " + shared.settings().maxSubscriptions() + " subscriptions per socket");
        }
        Credits credits = request.credit() == null ? null : new Credits(request.credit());
        Subscription subscription = new Subscription(
                request.id(), request, Sinks.one(), credits, new AtomicReference<>(), new AtomicReference<>());
        if (request.group() != null) {
            return subscribeAsMember(request, subscription);
        }
        subscriptions.put(request.id(), subscription);
        return Mono.fromCallable(() -> openCursor(request, credits))
                .subscribeOn(shared.storageScheduler())
                .doOnError(e -> subscriptions.remove(request.id()))
                .doOnNext(cursor -> startStream(subscription, request, cursor))
                .then();
    }

    private TopicCursor openCursor(ClientOps.Subscribe request, Credits credits) {
        var streams = shared.settings().streams();
        return TopicCursors.open(
                shared.logs(),
                request.topic(),
                request.partitions(),
                request.start(),
                new TopicCursors.Limits(
                        request.maxRecords(),
                        streams.maxBatchBytes(),
                        streams.keepAlive().toMillis(),
                        credits));
    }

    private void startStream(Subscription subscription, ClientOps.Subscribe request, TopicCursor cursor) {
        String id = subscription.id();
        String subscribed = shared.frames()
                .subscribed(id, request.topic(), cursor.position().nextOffsets().keySet(), cursor.position());
        emitSubscription(
                subscription,
                subscribed,
                CursorFlux.events(cursor).concatMapIterable(event -> frameFor(id, event, request)));
    }

    /** Queues a subscription's frames: first frame, body until unsubscribed or failed, then the closing frame. */
    private void emitSubscription(Subscription subscription, String first, Flux<String> body) {
        String id = subscription.id();
        Flux<String> stream = Flux.just(first)
                .concatWith(body.takeUntilOther(subscription.stop().asMono()))
                .onErrorResume(e -> Flux.just(errorFrame(e, id)))
                .concatWith(Mono.fromSupplier(() -> closingFrame(subscription)))
                .doFinally(signal -> subscriptions.remove(id, subscription));
        outbox.add(stream);
    }

    /** After a subscription stopped: why, if security stopped it; unsubscribed, if the client did; else nothing. */
    private String closingFrame(Subscription subscription) {
        SluiceException denied = subscription.denied().get();
        if (denied != null) {
            return errorFrame(denied, subscription.id());
        }
        return subscriptions.get(subscription.id()) != subscription
                ? shared.frames().unsubscribed(subscription.id())
                : null;
    }

    /** Ends a subscription its principal may no longer read (ACLs changed while it ran). */
    private void recheck(Subscription subscription) {
        ClientOps.Subscribe request = subscription.request();
        String denied = null;
        if (!guard.allows(Operation.READ, ResourceType.TOPIC, request.topic())) {
            denied = "topic '" + request.topic() + "'";
        } else if (request.group() != null && !guard.allows(Operation.READ, ResourceType.GROUP, request.group())) {
            denied = "group '" + request.group() + "'";
        }
        if (denied != null
                && subscription
                        .denied()
                        .compareAndSet(
                                null,
                                new SluiceException(
                                        ErrorCode.FORBIDDEN, "not authorized to READ " + denied + " any more"))) {
            subscriptions.remove(subscription.id(), subscription);
            subscription.stop().tryEmitValue(true);
        }
    }

    private Mono<Void> subscribeAsMember(ClientOps.Subscribe request, Subscription subscription) {
        if (shared.groups() == null) {
            throw GroupStream.unavailable();
        }
        if (request.partitions() != null) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST,
                    "a group member gets its partitions from the group: leave out partitions");
        }
        subscriptions.put(request.id(), subscription);
        return Mono.fromCallable(() -> GroupStream.join(shared, shared.groups(), request))
                .subscribeOn(shared.storageScheduler())
                .doOnError(e -> subscriptions.remove(request.id()))
                .doOnNext(member -> {
                    subscription.group().set(member);
                    String subscribed = shared.frames()
                            .subscribed(request.id(), request.topic(), List.of(), PositionToken.of(Map.of()));
                    emitSubscription(subscription, subscribed, member.frames(subscription.credits()));
                })
                .then();
    }

    private Mono<Void> ack(String id, Map<Integer, Long> offsets) {
        Subscription subscription = subscriptions.get(id);
        GroupStream member = subscription == null ? null : subscription.group().get();
        if (member == null) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "no group subscription '" + id + "'");
        }
        // A commit needs READ on the group (as over HTTP); the topic's READ was checked at subscribe and on ACL
        // changes.
        guard.require(Operation.READ, ResourceType.GROUP, subscription.request().group(), "WS ack");
        return Mono.fromCallable(() -> member.ack(offsets))
                .subscribeOn(shared.storageScheduler())
                .doOnNext(committed -> emit(shared.frames().acked(id, committed)))
                .then();
    }

    private List<String> frameFor(String id, CursorEvent event, ClientOps.Subscribe request) {
        if (event instanceof CursorEvent.Records records) {
            return List.of(shared.frames().records(id, records.records(), records.token(), request.format()));
        }
        if (event instanceof CursorEvent.CaughtUp caughtUp) {
            return List.of(shared.frames().caughtUp(id, caughtUp.token(), caughtUp.highWatermarks()));
        }
        return List.of();
    }

    private Mono<Void> unsubscribe(String id) {
        Subscription subscription = subscriptions.remove(id);
        if (subscription == null) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "no subscription '" + id + "'");
        }
        subscription.stop().tryEmitValue(true);
        return Mono.empty();
    }

    private Mono<Void> credit(String id, long records) {
        Subscription subscription = subscriptions.get(id);
        if (subscription == null) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "no subscription '" + id + "'");
        }
        if (subscription.credits() != null) {
            subscription.credits().grant(records);
        }
        return Mono.empty();
    }

    private Mono<Void> produce(ClientOps.Produce request) {
        guard.require(Operation.WRITE, ResourceType.TOPIC, request.topic(), "WS produce");
        return Mono.fromCallable(() -> shared.producer().produce(request.topic(), request.records()))
                .subscribeOn(shared.storageScheduler())
                .doOnNext(placed -> emit(shared.frames().produced(request.correlationId(), placed)))
                .then();
    }

    private Mono<Void> statsSubscribe() {
        if (statsStop != null) {
            return Mono.empty();
        }
        Sinks.One<Boolean> stop = Sinks.one();
        statsStop = stop;
        outbox.add(statsFrames().takeUntilOther(stop.asMono()));
        return Mono.empty();
    }

    /** The newest statistics now, then each new sample; a socket that is behind skips to the newest. */
    private Flux<String> statsFrames() {
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

    private Mono<Void> statsUnsubscribe() {
        Sinks.One<Boolean> stop = statsStop;
        statsStop = null;
        if (stop != null) {
            stop.tryEmitValue(true);
        }
        return Mono.empty();
    }

    private void emitError(SluiceException e, String refField, String ref) {
        emit(shared.frames().error(e.errorCode(), e.getMessage(), false, refField, ref));
    }

    private String errorFrame(Throwable e, String id) {
        SluiceException error = e instanceof SluiceException s
                ? s
                : new SluiceException(
                        ErrorCode.INTERNAL,
                        "subscription failed: " + e.getClass().getSimpleName());
        return shared.frames().error(error.errorCode(), error.getMessage(), false, "id", id);
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
            subscriptions.values().forEach(subscription -> subscription.stop().tryEmitValue(true));
            statsUnsubscribe();
            close.doFinally(signal -> closing.tryEmitValue(true)).subscribe();
        } else {
            close.subscribe();
            closing.tryEmitValue(true);
        }
    }

    private void shutdown() {
        closed.set(true);
        closing.tryEmitValue(true);
        subscriptions.values().forEach(subscription -> subscription.stop().tryEmitValue(true));
        subscriptions.clear();
        statsUnsubscribe();
        outbox.discard();
    }

    private Duration checkInterval() {
        Duration timeout = shared.settings().slowClientTimeout();
        return timeout.dividedBy(4).isZero() ? Duration.ofMillis(1) : timeout.dividedBy(4);
    }
}
