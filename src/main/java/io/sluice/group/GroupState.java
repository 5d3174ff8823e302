package io.sluice.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of a consumer group. The coordinator changes state only through {@link #canMoveTo}-checked moves.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>event</th><th>to</th></tr>
 *   <tr><td>EMPTY</td><td>an instance is created</td><td>STABLE (nothing subscribed, empty assignment)</td></tr>
 *   <tr><td>EMPTY</td><td>group deleted</td><td>DEAD</td></tr>
 *   <tr><td>STABLE</td><td>subscribe/unsubscribe, a subscribed member leaves or its lease expires, a subscribed
 *       topic gains partitions, a new topic matches a pattern</td><td>PREPARING_REBALANCE</td></tr>
 *   <tr><td>STABLE</td><td>the last instance leaves or expires</td><td>EMPTY (generation + 1 if it had members)</td></tr>
 *   <tr><td>PREPARING_REBALANCE</td><td>the rebalance delay elapsed (immediately with delay 0): the assignor runs,
 *       generation + 1</td><td>STABLE</td></tr>
 *   <tr><td>PREPARING_REBALANCE</td><td>another membership change</td><td>PREPARING_REBALANCE (deadline kept)</td></tr>
 *   <tr><td>PREPARING_REBALANCE</td><td>the last instance leaves or expires</td><td>EMPTY (generation + 1)</td></tr>
 *   <tr><td>DEAD</td><td>(terminal; the group object is dropped, a new one may be created under the same id)</td>
 *       <td>-</td></tr>
 * </table>
 *
 * While PREPARING_REBALANCE, members keep the partitions of the current generation (minus those of departed members)
 * and may read and commit them; new members own nothing until the rebalance completes. Deleting or resetting the
 * offsets of a group is allowed only in EMPTY.
 */
public enum GroupState {
    EMPTY,
    PREPARING_REBALANCE,
    STABLE,
    DEAD;

    private Set<GroupState> next() {
        return switch (this) {
            case EMPTY -> EnumSet.of(STABLE, DEAD);
            case STABLE -> EnumSet.of(PREPARING_REBALANCE, EMPTY);
            case PREPARING_REBALANCE -> EnumSet.of(STABLE, EMPTY, PREPARING_REBALANCE);
            case DEAD -> EnumSet.noneOf(GroupState.class);
        };
    }

    /** Whether the table above allows moving from this state to {@code target}. */
    public boolean canMoveTo(GroupState target) {
        return next().contains(target);
    }
}
