package io.sluice.api.ws;

import io.sluice.api.http.CursorFlux;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.Assignment;
import io.sluice.group.AutoOffsetReset;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.InstanceConfig;
import io.sluice.group.Subscription;
import io.sluice.stream.Credits;
import io.sluice.stream.CursorEvent;
import io.sluice.stream.StartPositions;
import io.sluice.stream.StartSpec;
import io.sluice.stream.TopicCursor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebSocket subscription that consumes as a member of a consumer group: one coordinator instance subscribed to one
 * topic. Each generation starts with an {@code assignment} frame and streams the assigned partitions until the next
 * generation; a partition kept across generations continues where delivery stopped, a newly assigned one starts at
 * the group's committed offset (else at the subscription's {@code from}). Acks are commits; leaving (unsubscribe or
 * socket close) deletes the instance, which rebalances the others. While the socket is open the member calls the
 * coordinator at least every third of its lease, so an idle member does not expire.
 *
 * <p>Delivery is at-least-once across members: records delivered but not acked are delivered again to the next owner.
 * Thread-safety: frames are produced by one reactive chain; {@link #ack} may run concurrently (the coordinator is
 * thread-safe).
 */
final class GroupStream {

    private final LiveSocketHandler.Shared shared;
    private final GroupCoordinator coordinator;
    private final ClientOps.Subscribe request;
    private final String instanceId;
    private final Map<Integer, Long> delivered = new ConcurrentHashMap<>();

    private GroupStream(
            LiveSocketHandler.Shared shared,
            GroupCoordinator coordinator,
            ClientOps.Subscribe request,
            String instanceId) {
        this.shared = shared;
        this.coordinator = coordinator;
        this.request = request;
        this.instanceId = instanceId;
    }

    /** Joins the group as an instance owned by {@code owner} (null: security off); blocking, call on the storage scheduler. */
    static GroupStream join(
            LiveSocketHandler.Shared shared, GroupCoordinator coordinator, ClientOps.Subscribe request, String owner) {
        shared.logs().partitionCount(request.topic()); // TOPIC_NOT_FOUND before anything is created
        AutoOffsetReset reset =
                request.start() instanceof StartSpec.Earliest ? AutoOffsetReset.EARLIEST : AutoOffsetReset.LATEST;
        String instanceId = coordinator
                .createInstance(
                        request.group(),
                        InstanceConfig.defaults().withAutoCommit(false).withAutoOffsetReset(reset),
                        owner)
                .instanceId();
        try {
            coordinator.subscribe(request.group(), instanceId, Subscription.topics(List.of(request.topic())));
        } catch (RuntimeException e) {
            coordinator.deleteInstance(request.group(), instanceId);
            throw e;
        }
        return new GroupStream(shared, coordinator, request, instanceId);
    }

    String instanceId() {
        return instanceId;
    }

    /** Every frame of this member until it leaves; the caller decides when (unsubscribe, close). */
    Flux<String> frames(Credits credits) {
        Flux<String> generations = Flux.defer(() -> oneGeneration(credits)).repeat();
        Flux<String> heartbeat = Flux.interval(heartbeatInterval(), shared.timer())
                .concatMap(tick -> blocking(() -> coordinator.assignment(request.group(), instanceId)))
                .thenMany(Flux.empty());
        return Flux.merge(generations, heartbeat).doFinally(signal -> leave());
    }

    /** Commits next offsets per partition (blocking: call on the storage scheduler). */
    SortedMap<TopicPartition, Long> ack(Map<Integer, Long> offsets) {
        Map<TopicPartition, Long> commits = new TreeMap<>();
        offsets.forEach((partition, offset) -> commits.put(new TopicPartition(request.topic(), partition), offset));
        return coordinator.commit(request.group(), instanceId, commits);
    }

    private record Generation(int number, Map<Integer, Long> start, CompletableFuture<Integer> next) {}

    private Flux<String> oneGeneration(Credits credits) {
        return blocking(this::currentGeneration).flatMapMany(generation -> {
            String assignment = shared.frames()
                    .assignment(
                            request.id(),
                            request.group(),
                            instanceId,
                            generation.number(),
                            generation.start().keySet());
            Mono<Integer> next = Mono.fromFuture(generation.next(), false);
            if (generation.start().isEmpty()) {
                return Flux.just(assignment).concatWith(next.then(Mono.empty()));
            }
            TopicCursor cursor = new TopicCursor(
                    shared.logs(),
                    request.topic(),
                    generation.start(),
                    request.maxRecords(),
                    shared.settings().streams().maxBatchBytes(),
                    shared.settings().streams().keepAlive().toMillis(),
                    credits);
            return Flux.just(assignment)
                    .concatWith(CursorFlux.events(cursor)
                            .takeUntilOther(next)
                            .doOnNext(this::track)
                            .concatMapIterable(this::toFrames));
        });
    }

    private Generation currentGeneration() {
        Assignment assignment = coordinator.assignment(request.group(), instanceId);
        CompletableFuture<Integer> next =
                coordinator.generationAfter(request.group(), instanceId, assignment.generation());
        List<TopicPartition> owned = assignment.partitions().stream()
                .filter(tp -> tp.topic().equals(request.topic()))
                .toList();
        SortedMap<TopicPartition, CommittedOffset> committed =
                owned.isEmpty() ? new TreeMap<>() : coordinator.committed(request.group(), instanceId, owned);
        Map<Integer, Long> start = new TreeMap<>();
        for (TopicPartition tp : owned) {
            Long resume = delivered.get(tp.partition());
            CommittedOffset commit = committed.get(tp);
            start.put(tp.partition(), resume != null ? resume : commit != null ? commit.offset() : -1L);
        }
        delivered.keySet().retainAll(start.keySet());
        return new Generation(assignment.generation(), resolveFresh(start), next);
    }

    /** Partitions with neither a delivered nor a committed position (-1) start at the subscription's {@code from}. */
    private Map<Integer, Long> resolveFresh(Map<Integer, Long> start) {
        Map<Integer, Long> known = new TreeMap<>(start);
        known.values().removeIf(offset -> offset < 0);
        return StartPositions.resolve(
                shared.logs(),
                request.topic(),
                List.copyOf(start.keySet()),
                new StartSpec.AtOffsets(known, request.start()));
    }

    private void track(CursorEvent event) {
        if (event instanceof CursorEvent.Records records) {
            delivered.putAll(records.token().nextOffsets());
        }
    }

    private List<String> toFrames(CursorEvent event) {
        if (event instanceof CursorEvent.Records records) {
            return List.of(shared.frames().records(request.id(), records.records(), records.token(), request.format()));
        }
        if (event instanceof CursorEvent.CaughtUp caughtUp) {
            return List.of(shared.frames().caughtUp(request.id(), caughtUp.token(), caughtUp.highWatermarks()));
        }
        return List.of();
    }

    private void leave() {
        blocking(() -> {
                    coordinator.deleteInstance(request.group(), instanceId);
                    return true;
                })
                .onErrorResume(SluiceException.class, e -> Mono.empty())
                .subscribe();
    }

    private Duration heartbeatInterval() {
        long third = coordinator.config().leaseMs() / 3;
        return Duration.ofMillis(Math.max(100, third));
    }

    private <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(shared.storageScheduler());
    }

    static SluiceException unavailable() {
        return new SluiceException(ErrorCode.INVALID_REQUEST, "consumer groups are not available on this server");
    }
}
