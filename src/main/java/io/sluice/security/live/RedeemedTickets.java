package io.sluice.security.live;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nonces of tickets already redeemed on this node, each kept until its ticket expires (after that the expiry check
 * refuses the ticket anyway, so forgetting it is safe). Memory is bounded by the redemption rate times the ticket
 * lifetime. Expired entries are dropped by {@link #prune}, which the owner calls now and then.
 *
 * <p>Per node on purpose: tickets are verified by signature on any node, but "used" is only known where it was used.
 * On a cluster a ticket could therefore be redeemed once per node within its short lifetime; closing that gap would
 * need a shared store on every stream open, which the short lifetime makes not worth it. Thread-safe.
 */
final class RedeemedTickets {

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    /** Records a redemption; false when the nonce was redeemed before (atomic: two racing callers, one wins). */
    boolean markUsed(String nonce, long expiresAt) {
        return expiries.putIfAbsent(nonce, expiresAt) == null;
    }

    /** Forgets tickets that expired before {@code now}. */
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
