package io.sluice.group;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Instances coming and going: creation (which also defines the group durably), deletion, lease expiry, and the
 * "not found, because it expired" errors. Stateless apart from its collaborators; the caller holds the group's
 * monitor.
 */
final class Membership {

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final OffsetStore store;
    private final Rebalancer rebalancer;
    private final Committer committer;
    private final Supplier<String> instanceIds;

    Membership(
            GroupCoordinatorConfig config,
            Clock clock,
            OffsetStore store,
            Rebalancer rebalancer,
            Committer committer,
            Supplier<String> instanceIds) {
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.rebalancer = rebalancer;
        this.committer = committer;
        this.instanceIds = instanceIds;
    }

    /** Adds a new instance owned by {@code owner} (nullable); the first instance of an empty group may choose its assignor. */
    InstanceInfo join(ConsumerGroup group, InstanceConfig instanceConfig, String owner, long now) {
        String wanted = instanceConfig.assignor();
        if (wanted != null && !wanted.equals(group.assignor())) {
            if (!group.instances().isEmpty()) {
                throw new SluiceException(
                        ErrorCode.CONFLICT,
                        "group " + group.name() + " uses assignment strategy " + group.assignor() + ", not " + wanted);
            }
            group.assignor(wanted);
        }
        String id = instanceConfig.name() != null ? instanceConfig.name() : instanceIds.get();
        if (group.instances().containsKey(id)) {
            throw new SluiceException(
                    ErrorCode.ALREADY_EXISTS, "consumer instance " + id + " already exists in group " + group.name());
        }
        if (group.instances().isEmpty()) {
            long createdAt =
                    store.group(group.name()).map(GroupDefinition::createdAt).orElse(now);
            store.saveGroup(new GroupDefinition(group.name(), group.assignor(), createdAt));
            group.moveTo(GroupState.STABLE);
        }
        ConsumerInstance instance =
                new ConsumerInstance(group.name(), id, instanceConfig, owner, clock, config.leaseMs());
        group.instances().put(id, instance);
        group.forgetDeparture(id);
        return info(group, instance);
    }

    /** A clean leave: with auto-commit on, the positions are committed first. */
    void leave(ConsumerGroup group, ConsumerInstance instance, long now) {
        if (instance.config().autoCommit()) {
            committer.commitPositions(group, instance, group.owned(instance), now);
        }
        remove(group, instance, "was deleted at " + now, now);
    }

    /** Removes every instance whose lease ran out (no commit: its last records may be unprocessed). */
    int expireDue(ConsumerGroup group, long now) {
        List<ConsumerInstance> expired =
                group.instances().values().stream().filter(i -> i.expired(now)).toList();
        for (ConsumerInstance instance : expired) {
            remove(
                    group,
                    instance,
                    "expired at " + instance.leaseExpiresAt() + ": no call within its lease of " + config.leaseMs()
                            + " ms (last seen at " + instance.lastSeen() + ")",
                    now);
        }
        return expired.size();
    }

    private void remove(ConsumerGroup group, ConsumerInstance instance, String why, long now) {
        group.instances().remove(instance.id());
        group.departed(instance.id(), why);
        group.afterUnlock(instance.gate().close(instanceNotFound(group.name(), instance.id(), group)));
        if (instance.member()) {
            rebalancer.memberRemoved(group, instance, now);
        } else if (group.instances().isEmpty()) {
            rebalancer.membershipChanged(group, now);
        }
    }

    InstanceInfo info(ConsumerGroup group, ConsumerInstance instance) {
        return new InstanceInfo(
                group.name(),
                instance.id(),
                instance.config(),
                config.leaseMs(),
                instance.leaseExpiresAt(),
                instance.lastSeen());
    }

    /** The 40403 error, saying why the instance is gone when the group remembers it. */
    static SluiceException instanceNotFound(String group, String instanceId, ConsumerGroup known) {
        String why = known == null ? null : known.departure(instanceId).orElse(null);
        String message = why != null
                ? "consumer instance " + instanceId + " of group " + group + " " + why
                : "consumer instance " + instanceId + " not found in group " + group + " (it may have expired)";
        return new SluiceException(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, message);
    }
}
