package io.sluice.security;

import java.util.Collection;
import java.util.List;

/** Where ACL bindings persist (H2 in {@code io.sluice.security.jdbc}). Blocking; called off the event loops. */
public interface AclStore {

    /** Every stored binding. */
    List<AclBinding> loadAll();

    /** Stores the bindings not stored yet (atomically). */
    void addAll(Collection<AclBinding> bindings);

    /** Removes these bindings (atomically); absent ones are ignored. */
    void removeAll(Collection<AclBinding> bindings);
}
