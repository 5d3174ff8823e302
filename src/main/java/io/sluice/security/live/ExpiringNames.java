package io.sluice.security.live;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names remembered until an expiry: the nonces of tickets already redeemed on this node, and credentials revoked
 * recently. Each entry is kept until the tickets it concerns have expired (after that the expiry check refuses them
 * anyway, so forgetting is safe). Memory is bounded by the rate of additions times the ticket lifetime. Expired
 * entries are dropped by {@link #prune}, which the owner calls now and then.
 *
 * <p>Per node on purpose: tickets are verified by signature on any node, but "used" is only known where it was used.
 * On a cluster a ticket could therefore be redeemed once per node within its short lifetime; closing that gap would
 * need a shared store on every stream open, which the short lifetime makes not worth it. Thread-safe.
 */
final class ExpiringNames {

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    /** Remembers {@code name} until {@code expiresAt}; false when it was already there (atomic: of two racers, one wins). */
    boolean add(String name, long expiresAt) {
        return expiries.putIfAbsent(name, expiresAt) == null;
    }

    boolean contains(String name) {
        return expiries.containsKey(name);
    }

    /** Forgets the names that expired before {@code now}. */
    void prune(long now) {
        Iterator<Long> it = expiries.values().iterator();
        while (it.hasNext()) {
            if (it.next() < now) {
                it.remove();
            }
        }
    }

    int size() {
        return expiries.size();
    }
}
