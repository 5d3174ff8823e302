package io.sluice.api.ws;

import io.sluice.api.http.CursorFlux;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.stats.StatsSnapshot;
import io.sluice.stream.Credits;
import io.sluice.stream.CursorEvent;
import io.sluice.stream.PositionToken;
import io.sluice.stream.StartPositions;
import io.sluice.stream.TopicCursor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
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
 * <p>Thread-safety: inbound operations run one at a time; control frames may be emitted from any thread and are
 * serialised by {@link #emit}; subscription state lives in concurrent maps.
 */
final class SocketConnection {

    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);
    private static final CloseStatus SLOW = new CloseStatus(1008, "client too slow");
    private static final Duration HARD_CLOSE_GRACE = Duration.ofSeconds(2);

    private final LiveSocketHandler.Shared shared;
    private final WebSocketSession session;
    private final Sinks.Many<String> control;
    private final Sinks.Many<Flux<String>> streams = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<Boolean> closing = Sinks.one();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastDemandNanos;
    private volatile Sinks.One<Boolean> statsStop;

    /**
     * A running subscription; {@code stop} ends its stream (unsubscribe), {@code credits} is null without credit,
     * {@code group} holds the group member once joined (stays empty for a plain subscription).
     */
    private record Subscription(
            String id, Sinks.One<Boolean> stop, Credits credits, AtomicReference<GroupStream> group) {}

    SocketConnection(LiveSocketHandler.Shared shared, WebSocketSession session) {
        this.shared = shared;
        this.session = session;
        this.control = Sinks.many()
                .unicast()
                .onBackpressureBuffer(new ArrayBlockingQueue<>(shared.settings().maxPendingFrames()));
        this.lastDemandNanos = shared.clock().nanoseconds();
    }

    Mono<Void> run() {
        Mono<Void> inbound = session.receive()
                .map(WebSocketMessage::getPayloadAsText)
                .concatMap(this::onFrame)
                .takeUntilOther(closing.asMono())
                .then()
                .doFinally(signal -> shutdown());
        Flux<String> frames = Flux.merge(
                        2, control.asFlux(), streams.asFlux().flatMap(stream -> stream, maxStreams(), 1))
                .doOnNext(frame -> delivered())
                .doOnRequest(n -> lastDemandNanos = shared.clock().nanoseconds());
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
        return Mono.when(inbound, outbound, watchdog).doFinally(signal -> {
            shutdown();
            shared.connections().decrementAndGet();
        });
    }

    private Mono<Void> onFrame(String text) {
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
                    emitError(e, refField(op), ref(frame, op));
                    return Mono.empty();
                })
                .onErrorResume(e -> {
                    log.warn("websocket operation {} failed", op, e);
                    emitError(new SluiceException(ErrorCode.INTERNAL, "internal error"), refField(op), ref(frame, op));
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
        if (subscriptions.containsKey(request.id())) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "subscription id '" + request.id() + "' is in use");
        }
        if (subscriptions.size() >= shared.settings().maxSubscriptions()) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST,
                    "at most " + shared.settings().maxSubscriptions() + " subscriptions per socket");
        }
        Credits credits = request.credit() == null ? null : new Credits(request.credit());
        Subscription subscription = new Subscription(request.id(), Sinks.one(), credits, new AtomicReference<>());
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
        int count = shared.logs().partitionCount(request.topic());
        List<Integer> partitions =
                request.partitions() == null ? IntStream.range(0, count).boxed().toList() : request.partitions();
        for (int partition : partitions) {
            if (partition >= count) {
                throw new SluiceException(
                        ErrorCode.PARTITION_NOT_FOUND, "topic '" + request.topic() + "' has no partition " + partition);
            }
        }
        var start = StartPositions.resolve(shared.logs(), request.topic(), partitions, request.start());
        var streams = shared.settings().streams();
        return new TopicCursor(
                shared.logs(),
                request.topic(),
                start,
                request.maxRecords(),
                streams.maxBatchBytes(),
                streams.keepAlive().toMillis(),
                credits);
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
                .concatWith(Mono.fromSupplier(() -> shared.frames().unsubscribed(id))
                        .filter(frame -> subscriptions.get(id) != subscription))
                .doOnNext(frame -> queued())
                .doFinally(signal -> subscriptions.remove(id, subscription));
        emitStream(stream);
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
        Flux<StatsSnapshot> live = Flux.create(sink -> {
            Consumer<StatsSnapshot> listener = sink::next;
            shared.stats().addListener(listener);
            sink.onDispose(() -> shared.stats().removeListener(listener));
        });
        Flux<String> frames = Mono.fromSupplier(shared.stats()::latest)
                .concatWith(live.onBackpressureLatest())
                .takeUntilOther(stop.asMono())
                .map(shared.frames()::stats)
                .doOnNext(frame -> queued());
        emitStream(frames);
        return Mono.empty();
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
    private synchronized void emit(String frame) {
        if (closed.get()) {
            return;
        }
        Sinks.EmitResult result = control.tryEmitNext(frame);
        if (result.isSuccess()) {
            queued();
        } else if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            closeSlow("more than " + shared.settings().maxPendingFrames() + " frames waiting");
        }
    }

    private synchronized void emitStream(Flux<String> stream) {
        streams.tryEmitNext(stream);
    }

    private void queued() {
        pending.incrementAndGet();
        shared.framesQueued().incrementAndGet();
    }

    private void delivered() {
        pending.decrementAndGet();
        shared.framesQueued().decrementAndGet();
    }

    private void checkSlow() {
        long waited = shared.clock().nanoseconds() - lastDemandNanos;
        if (pending.get() > 0 && waited > shared.settings().slowClientTimeout().toNanos()) {
            closeSlow("no frame taken for "
                    + shared.settings().slowClientTimeout().toMillis() + " ms");
        }
    }

    private void closeSlow(String why) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("closing slow websocket client {}: {}", session.getId(), why);
        String frame = shared.frames().error(ErrorCode.TOO_MANY_REQUESTS, "client too slow: " + why, true, null, null);
        // Best effort: the socket is congested, so the frame and the close frame may never get through; ending the
        // handler (closing) makes the server release the connection either way.
        session.send(Mono.just(session.textMessage(frame)))
                .then(session.close(SLOW))
                .timeout(HARD_CLOSE_GRACE, Mono.empty(), shared.timer())
                .onErrorResume(e -> Mono.empty())
                .subscribe();
        closing.tryEmitValue(true);
    }

    private void shutdown() {
        closed.set(true);
        closing.tryEmitValue(true);
        subscriptions.values().forEach(subscription -> subscription.stop().tryEmitValue(true));
        subscriptions.clear();
        statsUnsubscribe();
        shared.framesQueued().addAndGet(-pending.getAndSet(0));
    }

    private int maxStreams() {
        return shared.settings().maxSubscriptions() + 1;
    }

    private Duration checkInterval() {
        Duration timeout = shared.settings().slowClientTimeout();
        return timeout.dividedBy(4).isZero() ? Duration.ofMillis(1) : timeout.dividedBy(4);
    }

    private static String refField(String op) {
        return switch (op) {
            case "produce" -> "correlation_id";
            case "subscribe", "unsubscribe", "credit", "ack" -> "id";
            default -> null;
        };
    }

    private static String ref(JsonNode frame, String op) {
        String field = refField(op);
        JsonNode node = field == null ? null : frame.get(field);
        return node != null && node.isString() ? node.stringValue() : null;
    }
}
