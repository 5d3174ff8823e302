package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port: durable committed offsets and group definitions. One implementation over JDBC/H2
 * ({@code io.sluice.group.offsets.jdbc}), one in memory ({@code io.sluice.group.offsets}); both pass the same contract
 * test. Later the Ratis controller implements it, so committed offsets are replicated.
 *
 * <p>Contract: a {@link #commit} is atomic (all offsets of the call or none) and durable once it returns; committing
 * over an existing offset replaces it (the coordinator, not the store, decides whether a commit is allowed);
 * {@link #deleteGroup} removes the definition and every committed offset of the group. Implementations are
 * thread-safe; the coordinator serialises calls for one group.
 */
public interface OffsetStore {

    /** Creates or replaces the definition of {@code definition.group()}. */
    void saveGroup(GroupDefinition definition);

    /** The definition of {@code group}, if it was saved and not deleted. */
    Optional<GroupDefinition> group(String group);

    /** Every saved group, sorted by group id. */
    List<GroupDefinition> groups();

    /** Removes the group's definition and all of its committed offsets; no-op if unknown. */
    void deleteGroup(String group);

    /** Atomically stores all given offsets of {@code group}. */
    void commit(String group, Map<TopicPartition, CommittedOffset> offsets);

    /** Every committed offset of {@code group}, sorted by partition. */
    Map<TopicPartition, CommittedOffset> committed(String group);
}
