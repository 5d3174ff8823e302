package io.sluice.group;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs the coordinator's calls on one instance, and its periodic housekeeping, under the group's monitor. Before a call
 * it expires the group's instances whose lease ran out, looks the instance up (CONSUMER_INSTANCE_NOT_FOUND saying why
 * if it is gone), renews its lease and completes a rebalance whose delay passed; a call under a read permit also
 * checks that the permit is still the instance's own (it is reclaimed after {@link
 * GroupCoordinatorConfig#readPermitTimeoutMs()}).
 *
 * <p>Thread-safety: thread-safe; holds no state of its own. Everything it touches is guarded by the group's monitor,
 * which it takes for the whole call.
 */
final class InstanceCalls {

    /** A call on one instance, run under its group's monitor. */
    @FunctionalInterface
    interface InstanceCall<T> {
        T apply(ConsumerGroup group, ConsumerInstance instance, long now);
    }

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final GroupRegistry registry;
    private final Membership membership;
    private final Rebalancer rebalancer;
    private final Function<String, ConsumerGroup> loadGroup;

    /** @param loadGroup makes the object of a group not in the registry (from what the offset store knows of it) */
    InstanceCalls(
            GroupCoordinatorConfig config,
            Clock clock,
            GroupRegistry registry,
            Membership membership,
            Rebalancer rebalancer,
            Function<String, ConsumerGroup> loadGroup) {
        this.loadGroup = loadGroup;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.membership = membership;
        this.rebalancer = rebalancer;
    }

    /** Creates an instance owned by {@code owner} (nullable), and the group if new; retries if the group just died. */
    InstanceInfo create(String group, InstanceConfig instanceConfig, String owner) {
        while (true) {
            ConsumerGroup g = registry.getOrCreate(group, loadGroup);
            Optional<InstanceInfo> created = g.locked(() -> {
                if (g.state() == GroupState.DEAD) {
                    return Optional.empty(); // deleted concurrently: make a fresh one
                }
                long now = clock.milliseconds();
                membership.expireDue(g, now);
                return Optional.of(membership.join(g, instanceConfig, owner, now));
            });
            if (created.isPresent()) {
                return created.get();
            }
        }
    }

    /** The owner of a live instance, without renewing its lease; empty if it has none or is gone. */
    Optional<String> owner(String group, String instanceId) {
        return registry.get(group)
                .flatMap(g -> g.locked(() -> g.state() == GroupState.DEAD
                        ? Optional.<String>empty()
                        : g.instance(instanceId)
                                .filter(i -> !i.expired(clock.milliseconds()))
                                .map(ConsumerInstance::owner)));
    }

    /** Looks the instance up under its group's monitor, expiring what is due and renewing its lease first. */
    <T> T withInstance(String group, String instanceId, InstanceCall<T> call) {
        ConsumerGroup g = registry.get(group).orElseThrow(() -> Membership.instanceNotFound(group, instanceId, null));
        return g.locked(() -> {
            if (g.state() == GroupState.DEAD) {
                throw Membership.instanceNotFound(group, instanceId, null);
            }
            long now = clock.milliseconds();
            membership.expireDue(g, now);
            ConsumerInstance instance =
                    g.instance(instanceId).orElseThrow(() -> Membership.instanceNotFound(group, instanceId, g));
            instance.renew(now, config.leaseMs());
            rebalancer.completeIfDue(g, now);
            return call.apply(g, instance, now);
        });
    }

    /** {@link #withInstance} for the permit's instance, if the permit is still the one holding its read gate. */
    <T> T withPermit(ReadPermit permit, InstanceCall<T> call) {
        if (permit.released()) {
            throw new IllegalStateException(permit + " was already released");
        }
        return withInstance(permit.group(), permit.instanceId(), (g, i, now) -> {
            if (permit.owner() != i) {
                throw Membership.instanceNotFound(permit.group(), permit.instanceId(), g);
            }
            if (!i.gate().holds(permit)) {
                throw new SluiceException(
                        ErrorCode.CONFLICT,
                        "the read permit of " + permit.instanceId() + " was reclaimed after "
                                + config.readPermitTimeoutMs() + " ms; another read has it now");
            }
            return call.apply(g, i, now);
        });
    }

    /** Frees the read gate of an instance whose read has held it past the permit timeout (the reader went away). */
    void reclaimAbandonedPermit(ConsumerGroup group, ConsumerInstance instance, long now) {
        group.afterUnlock(instance.gate().reclaimIfHeldSince(now - config.readPermitTimeoutMs()));
    }

    /**
     * Removes every instance whose lease ran out, completes rebalances whose delay passed and reclaims abandoned read
     * permits; returns how many instances expired.
     */
    int expireLeases() {
        int expired = 0;
        for (ConsumerGroup g : registry.all()) {
            expired += g.locked(() -> {
                if (g.state() == GroupState.DEAD) {
                    return 0;
                }
                long now = clock.milliseconds();
                int count = membership.expireDue(g, now);
                rebalancer.completeIfDue(g, now);
                g.instances().values().forEach(i -> reclaimAbandonedPermit(g, i, now));
                return count;
            });
        }
        return expired;
    }

    /** Whether some group of the registry has an instance (whose lease the tick must watch). */
    boolean anyInstance() {
        return registry.all().stream()
                .anyMatch(g -> g.locked(
                        () -> g.state() != GroupState.DEAD && !g.instances().isEmpty()));
    }

    /** Checks every group for new partitions or newly matching topics. */
    void topicsChanged() {
        for (ConsumerGroup g : registry.all()) {
            g.locked(() -> {
                if (g.state() != GroupState.DEAD) {
                    rebalancer.checkTopics(g, clock.milliseconds());
                }
                return g;
            });
        }
    }
}
