package io.sluice.common;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Waiters parked per key (e.g. long-poll reads per partition), for a notifier that wakes every waiter of a key.
 * A key's set leaves the map when its last waiter leaves, so idle keys cost nothing.
 *
 * <p>Thread-safe. Adding and removing both happen inside the map's atomic operations: a set fetched first and added
 * to afterwards could already have been dropped by a concurrent removal, and its new waiter would never be woken.
 */
public final class WaitingSets<K, W> {

    private final ConcurrentMap<K, Set<W>> sets = new ConcurrentHashMap<>();

    public void add(K key, W waiter) {
        sets.compute(key, (k, set) -> {
            Set<W> parked = set != null ? set : ConcurrentHashMap.newKeySet();
            parked.add(waiter);
            return parked;
        });
    }

    public void remove(K key, W waiter) {
        sets.computeIfPresent(key, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** The waiters of key now, as a live view that is safe to iterate while others park and leave. */
    public Set<W> of(K key) {
        Set<W> set = sets.get(key);
        return set != null ? set : Collections.emptySet();
    }

    /** Every parked waiter, as live views per key. */
    public Iterable<Set<W>> all() {
        return sets.values();
    }

    public int size() {
        return sets.values().stream().mapToInt(Set::size).sum();
    }
}
