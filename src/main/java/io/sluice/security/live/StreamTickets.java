package io.sluice.security.live;

import io.sluice.common.Clock;
import java.security.NoSuchAlgorithmException;
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
 * state, kept in memory per node ({@link ExpiringNames}) until the ticket expires. A ticket expires after the
 * configured lifetime or when its credential does, whichever comes first. Time is the injected clock's wall time
 * (comparable across nodes, unlike a monotonic timer). The secret comes from configuration on a cluster; a
 * single node may use a random one per process, which only means tickets do not survive a restart.
 *
 * <p>A credential revoked after a ticket was issued must not open a stream through it: {@link #credentialRevoked}
 * remembers the credential for one ticket lifetime (no ticket for it can live longer), and redemption refuses tickets
 * of remembered credentials. Like single use, this is per node: on a cluster each node hears of revocations itself.
 *
 * <p>Thread-safe.
 */
public final class StreamTickets {

    /** Redemptions between sweeps of expired nonces: keeps the sweep's cost amortised. */
    private static final int PRUNE_EVERY = 256;

    private final TicketCodec codec;
    private final Clock clock;
    private final long lifetimeMillis;
    private final SecureRandom random = nonBlockingRandom();
    private final ExpiringNames redeemed = new ExpiringNames();
    /** Revoked credentials, until any ticket issued for them has expired (the same bookkeeping as used nonces). */
    private final ExpiringNames revoked = new ExpiringNames();

    private final AtomicInteger sincePrune = new AtomicInteger();

    public StreamTickets(byte[] secret, Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("ticket lifetime must be positive");
        }
        this.codec = new TicketCodec(secret);
        this.clock = clock;
        this.lifetimeMillis = lifetime.toMillis();
    }

    /**
     * A DRBG seeded now: tickets are issued on event loops, where the platform default (NativePRNG) would read
     * /dev/urandom through a file stream on every call. The DRBG reads the entropy source once, here, and then only
     * computes (its reseed interval is far beyond any process's ticket count).
     */
    private static SecureRandom nonBlockingRandom() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[TicketCodec.NONCE_BYTES]);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("DRBG is part of every JDK since 9", e);
        }
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
     * Accepts a ticket once: checks signature, expiry, revocation of its credential and reuse, in that order, and returns its identity.
     *
     * @throws TicketRejectedException if the ticket is malformed, forged, expired, of a revoked credential or was
     *     redeemed before
     */
    public StreamIdentity redeem(String ticket) {
        TicketCodec.Body body = codec.decode(ticket);
        long now = clock.milliseconds();
        if (now >= body.expiresAt()) {
            throw new TicketRejectedException(TicketRejectedException.Reason.EXPIRED);
        }
        if (sincePrune.incrementAndGet() % PRUNE_EVERY == 0) {
            redeemed.prune(now);
            revoked.prune(now);
        }
        if (revoked.contains(body.identity().credential())) {
            throw new TicketRejectedException(TicketRejectedException.Reason.CREDENTIAL_REVOKED);
        }
        if (!redeemed.add(body.nonce(), body.expiresAt())) {
            throw new TicketRejectedException(TicketRejectedException.Reason.ALREADY_USED);
        }
        return body.identity();
    }

    /** Refuses, from now on, the unexpired tickets issued for {@code credential} (it was revoked). */
    public void credentialRevoked(String credential) {
        revoked.add(credential, saturatedAdd(clock.milliseconds(), lifetimeMillis));
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
