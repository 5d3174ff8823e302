package io.sluice.security;

import java.util.Collection;
import java.util.Set;

/**
 * The ACL {@link Authorizer}, Kafka's rules: a super-user may do everything; otherwise a matching DENY (for the
 * principal or for everyone, literal, wildcard or prefixed) refuses; otherwise a matching ALLOW of the operation (or,
 * for DESCRIBE, of a not-denied operation implying it) grants; no match refuses. Reads a volatile immutable {@link AclIndex}
 * that {@link #replace} swaps whole, so a decision takes no lock and allocates nothing, and a change is seen by the
 * next request.
 */
public final class AclAuthorizer implements Authorizer {

    private final Set<String> superUsers;
    private volatile AclIndex index = AclIndex.EMPTY;

    public AclAuthorizer(Set<String> superUsers) {
        this.superUsers = Set.copyOf(superUsers);
    }

    /** Makes {@code bindings} the whole rule set. */
    public void replace(Collection<AclBinding> bindings) {
        index = new AclIndex(bindings);
    }

    /** Whether {@code principal} bypasses every ACL. */
    @Override
    public boolean isSuperUser(Principal principal) {
        return superUsers.contains(principal.name());
    }

    @Override
    public boolean allowed(Principal principal, Operation operation, ResourceType type, String name) {
        if (superUsers.contains(principal.name())) {
            return true;
        }
        int masks = index.masks(principal.name(), type, name);
        int allow = masks & 0xFFFF;
        int deny = masks >>> 16;
        if ((deny & operation.bit()) != 0) {
            return false;
        }
        if ((allow & operation.bit()) != 0) {
            return true;
        }
        // An operation that is itself denied implies nothing (unlike Kafka, where a denied READ still shows the topic).
        return operation == Operation.DESCRIBE && (allow & ~deny & Operation.IMPLIES_DESCRIBE) != 0;
    }
}
