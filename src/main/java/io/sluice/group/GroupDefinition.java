package io.sluice.group;

import java.util.Objects;

/**
 * The durable part of a consumer group: what survives a restart besides its committed offsets. Membership does not
 * survive; instances re-join.
 *
 * @param group the group id
 * @param assignor the name of the assignment strategy
 * @param createdAt wall-clock millis when the group was first created
 */
public record GroupDefinition(String group, String assignor, long createdAt) {

    public GroupDefinition {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(assignor, "assignor");
    }
}
