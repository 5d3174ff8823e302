package io.sluice.group;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Port: where the live state of the groups (membership, leases, assignment, positions) is kept. Today
 * {@link InMemoryGroupRegistry} keeps it in this node's memory.
 *
 * <p>With several nodes this moves to the Ratis controller: the coordinator's mutating calls (create/delete instance,
 * renew lease, subscribe, assign, rebalance completion, seek, advance, commit) become commands in the controller's
 * log (instance creation carrying its owner, the principal that asked, so that every node refuses other
 * principals alike), applied deterministically by every controller peer to the same {@link ConsumerGroup} state
 * (assignors are pure functions and time comes from the command, not the peer's clock, so every peer computes the
 * same generation); any
 * node then answers reads from its applied copy and forwards writes to the controller leader. Committed offsets and
 * group definitions move with {@link OffsetStore}; the per-instance read permit stays on the node that serves the
 * read, which is why positions only advance through {@link GroupCoordinator#advance} with a permit.
 *
 * <p>Implementations must be thread-safe. The coordinator synchronises on the returned group objects.
 */
public interface GroupRegistry {

    /** The group called {@code group}, made with {@code create} if absent (atomically). */
    ConsumerGroup getOrCreate(String group, Function<String, ConsumerGroup> create);

    Optional<ConsumerGroup> get(String group);

    /** Every live group, sorted by name. */
    List<ConsumerGroup> all();

    /** Removes {@code group} if it is still the registered object under its name. */
    void remove(ConsumerGroup group);
}
