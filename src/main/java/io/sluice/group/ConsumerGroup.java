package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The live state of one consumer group: state, generation, instances and the assignment of the current generation.
 * Only the {@link GroupCoordinator} changes it; other code sees it through {@link GroupRegistry} as an opaque handle.
 *
 * <p>Invariants: {@code state == EMPTY} iff there are no instances (DEAD: removed from the registry, never used again);
 * {@code assignment} has entries only for instances that are members (subscribed); {@code rebalanceDeadline} is
 * meaningful only in PREPARING_REBALANCE. State changes go through {@link #moveTo}, which enforces the table of
 * {@link GroupState}.
 *
 * <p>Not thread-safe: every access runs inside {@link #locked}, which holds this object's monitor. The coordinator
 * never holds two group monitors at once, so there is no lock order to respect; work that may call out (completing
 * futures of waiting reads) is queued with {@link #afterUnlock} and runs after the monitor is released.
 */
public final class ConsumerGroup {

    private static final int DEPARTURES_REMEMBERED = 1_000;

    private final String name;
    private final SortedMap<String, ConsumerInstance> instances = new TreeMap<>();
    private final List<Runnable> afterUnlock = new ArrayList<>();
    private final Map<String, String> departures = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > DEPARTURES_REMEMBERED;
        }
    };
    private SortedMap<String, SortedSet<TopicPartition>> assignment = new TreeMap<>();
    private SortedMap<String, Integer> assignedTopics = new TreeMap<>();
    private String assignor;
    private GroupState state = GroupState.EMPTY;
    private int generation;
    private CompletableFuture<Integer> generationStarted = new CompletableFuture<>();
    private long rebalanceDeadline;
    private long topicsCheckedAt = -1;

    ConsumerGroup(String name, String assignor) {
        this.name = name;
        this.assignor = assignor;
    }

    public String name() {
        return name;
    }

    /** Runs {@code body} holding this group's monitor, then the work queued by {@link #afterUnlock}. Not reentrant. */
    <T> T locked(Supplier<T> body) {
        List<Runnable> after = new ArrayList<>();
        try {
            synchronized (this) {
                try {
                    return body.get();
                } finally {
                    after.addAll(afterUnlock);
                    afterUnlock.clear();
                }
            }
        } finally {
            after.forEach(Runnable::run);
        }
    }

    /** Queues work to run once the current {@link #locked} call released the monitor. */
    void afterUnlock(Runnable work) {
        afterUnlock.add(work);
    }

    /** The state; read it holding the group's monitor for a consistent answer. */
    public synchronized GroupState state() {
        return state;
    }

    void moveTo(GroupState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException("group " + name + ": illegal transition " + state + " -> " + target);
        }
        state = target;
    }

    int generation() {
        return generation;
    }

    /** Starts the next generation and, once the monitor is released, wakes everyone waiting for it. */
    void nextGeneration() {
        generation++;
        CompletableFuture<Integer> started = generationStarted;
        int now = generation;
        generationStarted = new CompletableFuture<>();
        afterUnlock(() -> started.complete(now));
    }

    /** Completes with the new generation number when a generation after {@code generation} starts. */
    CompletableFuture<Integer> generationAfter(int known) {
        return generation > known ? CompletableFuture.completedFuture(generation) : generationStarted.copy();
    }

    String assignor() {
        return assignor;
    }

    void assignor(String newAssignor) {
        assignor = newAssignor;
    }

    long rebalanceDeadline() {
        return rebalanceDeadline;
    }

    void rebalanceDeadline(long deadline) {
        rebalanceDeadline = deadline;
    }

    SortedMap<String, ConsumerInstance> instances() {
        return instances;
    }

    Optional<ConsumerInstance> instance(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    SortedMap<String, SortedSet<TopicPartition>> assignment() {
        return assignment;
    }

    /** Installs the assignment of a new generation, together with the topic sizes it was computed from. */
    void assignment(SortedMap<String, SortedSet<TopicPartition>> newAssignment, SortedMap<String, Integer> topics) {
        assignment = new TreeMap<>(newAssignment);
        assignedTopics = new TreeMap<>(topics);
    }

    SortedMap<String, Integer> assignedTopics() {
        return assignedTopics;
    }

    /** The {@link TopicCatalog#version()} at which the assignment was last found to match the topics; -1 if never. */
    long topicsCheckedAt() {
        return topicsCheckedAt;
    }

    void topicsCheckedAt(long catalogVersion) {
        topicsCheckedAt = catalogVersion;
    }

    /** The partitions {@code instance} owns now: its manual assignment, or its share of the current generation. */
    SortedSet<TopicPartition> owned(ConsumerInstance instance) {
        if (instance.manual() != null) {
            return instance.manual();
        }
        return Collections.unmodifiableSortedSet(assignment.getOrDefault(instance.id(), new TreeSet<>()));
    }

    /** Every partition owned now, with its owner (group or manual assignment; the first instance by id wins). */
    SortedMap<TopicPartition, String> owners() {
        SortedMap<TopicPartition, String> owners = new TreeMap<>();
        instances.values().forEach(i -> owned(i).forEach(tp -> owners.putIfAbsent(tp, i.id())));
        return owners;
    }

    void departed(String instanceId, String why) {
        departures.put(instanceId, why);
    }

    /** Why {@code instanceId} is gone (expired or deleted), if it was here recently. */
    Optional<String> departure(String instanceId) {
        return Optional.ofNullable(departures.get(instanceId));
    }

    void forgetDeparture(String instanceId) {
        departures.remove(instanceId);
    }
}
