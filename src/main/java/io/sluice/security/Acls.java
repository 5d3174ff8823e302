package io.sluice.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ACL service: keeps the {@link AclStore} and the in-memory {@link AclAuthorizer} in step. Changes are
 * serialised (synchronized: they are rare admin calls, and the store must not interleave two read-modify-writes);
 * decisions never wait for them. Blocking (it writes the store): call off the event loops.
 */
public final class Acls {

    private final AclStore store;
    private final AclAuthorizer authorizer;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private List<AclBinding> bindings;

    public Acls(AclStore store, AclAuthorizer authorizer) {
        this.store = store;
        this.authorizer = authorizer;
        this.bindings = List.copyOf(new LinkedHashSet<>(store.loadAll()));
        authorizer.replace(bindings);
    }

    public AclAuthorizer authorizer() {
        return authorizer;
    }

    /**
     * Registers a listener told after every change, once the new ACLs are in force (open streams check again). Called
     * on the changing thread, under this service's lock: must return quickly and not block.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Adds the bindings (those present already are kept once) and returns them. */
    public synchronized List<AclBinding> add(List<AclBinding> added) {
        store.addAll(added);
        Set<AclBinding> next = new LinkedHashSet<>(bindings);
        next.addAll(added);
        install(next);
        return List.copyOf(new LinkedHashSet<>(added));
    }

    /** The bindings the filter selects, in the order they were added. */
    public synchronized List<AclBinding> list(AclFilter filter) {
        return bindings.stream().filter(filter::matches).toList();
    }

    /** Deletes the bindings the filter selects and returns them. */
    public synchronized List<AclBinding> delete(AclFilter filter) {
        List<AclBinding> removed = list(filter);
        if (!removed.isEmpty()) {
            store.removeAll(removed);
            List<AclBinding> next = new ArrayList<>(bindings);
            next.removeAll(removed);
            install(next);
        }
        return removed;
    }

    private void install(java.util.Collection<AclBinding> next) {
        bindings = List.copyOf(next);
        authorizer.replace(bindings);
        listeners.forEach(Runnable::run);
    }
}
