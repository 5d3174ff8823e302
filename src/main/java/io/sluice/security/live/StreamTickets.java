package io.sluice.security.live;

import io.sluice.common.Clock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Short-lived, single-use tickets that let a browser open a WebSocket or an SSE stream without putting a long-lived
 * secret in a URL ({@code EventSource} and {@code WebSocket} cannot send an {@code Authorization} header, and URLs end
 * up in logs and histories). An authenticated client asks for a ticket, then presents it once as {@code ?ticket=}.
 *
 * <p>Design: tickets are self-contained and HMAC-signed ({@link TicketCodec}), not rows in a table, so no store has to
 * survive restarts and any node with the same secret can verify a ticket issued by another. Only "already used" is
 * state, kept in memory per node ({@link RedeemedTickets}) until the ticket expires. A ticket expires after the
 * configured lifetime or when its credential does, whichever comes first. Time is the injected clock's wall time
 * (comparable across nodes, unlike a monotonic timer). The secret comes from configuration on a cluster; a
 * single node may use a random one per process, which only means tickets do not survive a restart.
 *
 * <p>Thread-safe.
 */
public final class StreamTickets {

    /** Redemptions between sweeps of expired nonces: keeps the sweep's cost amortised. */
    private static final int PRUNE_EVERY = 256;

    private final TicketCodec codec;
    private final Clock clock;
    private final long lifetimeMillis;
    private final SecureRandom random = new SecureRandom();
    private final RedeemedTickets redeemed = new RedeemedTickets();
    private final AtomicInteger sincePrune = new AtomicInteger();

    public StreamTickets(byte[] secret, Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("ticket lifetime must be positive");
        }
        this.codec = new TicketCodec(secret);
        this.clock = clock;
        this.lifetimeMillis = lifetime.toMillis();
    }

    /** A random secret of the minimum size, for a node that was given none. */
    public static byte[] randomSecret() {
        byte[] secret = new byte[TicketCodec.MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** A new ticket for {@code identity}, valid for the configured lifetime or until the credential expires. */
    public IssuedTicket issue(StreamIdentity identity) {
        byte[] nonce = new byte[TicketCodec.NONCE_BYTES];
        random.nextBytes(nonce);
        long now = clock.milliseconds();
        long expiresAt = Math.min(saturatedAdd(now, lifetimeMillis), identity.credentialExpiresAt());
        return new IssuedTicket(codec.encode(nonce, expiresAt, identity), expiresAt);
    }

    /**
     * Accepts a ticket once: checks signature, expiry and reuse, in that order, and returns its identity.
     *
     * @throws TicketRejectedException if the ticket is malformed, forged, expired or was redeemed before
     */
    public StreamIdentity redeem(String ticket) {
        TicketCodec.Body body = codec.decode(ticket);
        long now = clock.milliseconds();
        if (now >= body.expiresAt()) {
            throw new TicketRejectedException(TicketRejectedException.Reason.EXPIRED);
        }
        if (sincePrune.incrementAndGet() % PRUNE_EVERY == 0) {
            redeemed.prune(now);
        }
        if (!redeemed.markUsed(body.nonce(), body.expiresAt())) {
            throw new TicketRejectedException(TicketRejectedException.Reason.ALREADY_USED);
        }
        return body.identity();
    }

    /** Nonces currently remembered as used (for tests and metrics). */
    int remembered() {
        return redeemed.size();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
