package io.sluice.group.assignor;

import io.sluice.common.TopicPartition;
import java.util.Map;
import java.util.SortedSet;

/**
 * Decides which member of a group reads which partition. An assignor is a pure function: the same input always gives
 * the same output (no clock, no randomness, no iteration over hash order), so every node computing the assignment for
 * the same generation agrees.
 *
 * <p>Contract of {@link #assign}: the result has an entry for every member of {@link AssignmentInput#subscriptions()}
 * (possibly empty); every partition of every topic some member subscribes to (and that exists in
 * {@link AssignmentInput#partitionsPerTopic()}) is given to exactly one member subscribed to its topic; nothing else
 * is given to anyone. Implementations are stateless and thread-safe.
 */
public interface PartitionAssignor {

    /** The name clients use to pick this assignor, e.g. {@code sticky}. */
    String name();

    /** Computes the assignment for one generation. */
    Map<String, SortedSet<TopicPartition>> assign(AssignmentInput input);
}
