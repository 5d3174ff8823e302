package io.sluice.api.ws;

import io.sluice.api.http.CursorFlux;
import io.sluice.api.http.StreamGuard;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import io.sluice.stream.Credits;
import io.sluice.stream.CursorEvent;
import io.sluice.stream.PositionToken;
import io.sluice.stream.TopicCursor;
import io.sluice.stream.TopicCursors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The record subscriptions of one WebSocket connection: {@code subscribe} (plain, or as a group member), {@code
 * unsubscribe}, {@code credit} and {@code ack}. Each subscription is one inner stream of the connection's {@link
 * FrameOutbox}, pulled with prefetch 1 from a {@link TopicCursor} (or a {@link GroupStream}): a {@code subscribed}
 * frame, records and caught-up frames until it stops, then {@code unsubscribed} (the client asked) or an error frame
 * (the stream failed, or security took the right to read away).
 *
 * <p>Security: subscribe needs READ on the topic (and on the group for a member), ack needs READ on the group; {@link
 * #recheck()} ends each subscription its principal may no longer read with a 40301 error frame.
 *
 * <p>Thread-safety: operations come one at a time from the connection's inbound chain; {@link #recheck()} and {@link
 * #stopAll()} may come from any thread. The subscriptions live in a concurrent map.
 */
final class SocketSubscriptions {

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

    private final LiveSocketHandler.Shared shared;
    private final StreamGuard guard;
    private final FrameOutbox outbox;
    private final SocketQuota quota;
    private final Consumer<String> emit;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    /**
     * @param quota paces the subscriptions' frames by the read quota
     * @param emit queues a control frame on the connection
     */
    SocketSubscriptions(
            LiveSocketHandler.Shared shared,
            StreamGuard guard,
            FrameOutbox outbox,
            SocketQuota quota,
            Consumer<String> emit) {
        this.quota = quota;
        this.shared = shared;
        this.guard = guard;
        this.outbox = outbox;
        this.emit = emit;
    }

    Mono<Void> subscribe(ClientOps.Subscribe request) {
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

    Mono<Void> ack(String id, Map<Integer, Long> offsets) {
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
                .doOnNext(committed -> emit.accept(shared.frames().acked(id, committed)))
                .then();
    }

    Mono<Void> unsubscribe(String id) {
        Subscription subscription = subscriptions.remove(id);
        if (subscription == null) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "no subscription '" + id + "'");
        }
        subscription.stop().tryEmitValue(true);
        return Mono.empty();
    }

    Mono<Void> credit(String id, long records) {
        Subscription subscription = subscriptions.get(id);
        if (subscription == null) {
            throw new SluiceException(ErrorCode.INVALID_REQUEST, "no subscription '" + id + "'");
        }
        if (subscription.credits() != null) {
            subscription.credits().grant(records);
        }
        return Mono.empty();
    }

    /** Ends every subscription its principal may no longer read (ACLs changed while it ran). */
    void recheck() {
        subscriptions.values().forEach(this::recheck);
    }

    /** Stops every stream (the connection is closing); their closing frames may still be queued. */
    void stopAll() {
        subscriptions.values().forEach(subscription -> subscription.stop().tryEmitValue(true));
    }

    /** Stops every stream and forgets them (the connection ended). */
    void clear() {
        stopAll();
        subscriptions.clear();
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
        return Mono.fromCallable(() -> GroupStream.join(shared, shared.groups(), request, owner()))
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

    /** Queues a subscription's frames: first frame, body until unsubscribed or failed, then the closing frame. */
    private void emitSubscription(Subscription subscription, String first, Flux<String> body) {
        String id = subscription.id();
        Flux<String> stream = Flux.just(first)
                .concatWith(quota.paced(body).takeUntilOther(subscription.stop().asMono()))
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

    private List<String> frameFor(String id, CursorEvent event, ClientOps.Subscribe request) {
        if (event instanceof CursorEvent.Records records) {
            return List.of(shared.frames().records(id, records.records(), records.token(), request.format()));
        }
        if (event instanceof CursorEvent.CaughtUp caughtUp) {
            return List.of(shared.frames().caughtUp(id, caughtUp.token(), caughtUp.highWatermarks()));
        }
        return List.of();
    }

    /** The principal that owns the group instances this connection creates; null when security is off. */
    private String owner() {
        return guard.identity() == null ? null : guard.identity().principal();
    }

    private String errorFrame(Throwable e, String id) {
        SluiceException error = e instanceof SluiceException s
                ? s
                : new SluiceException(
                        ErrorCode.INTERNAL,
                        "subscription failed: " + e.getClass().getSimpleName());
        return shared.frames().error(error.errorCode(), error.getMessage(), false, "id", id);
    }
}
