package io.sluice.quota;

import io.sluice.common.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-principal quotas: produce bytes/s, read bytes/s and requests/s, each a {@link TokenBucket}. Every principal gets
 * the default limits unless an override names it. A request is admitted ({@link #admit}) if its principal has a
 * request token left and its byte bucket for that kind of traffic is not in debt; its bytes are {@link #charge charged}
 * as they are known (a produce body up front, a read as its answer is written), so one large request may overdraw and
 * the principal's next requests wait it off. Refusals carry how long to wait, for {@code Retry-After}.
 *
 * <p>Principals' buckets are kept for the life of the manager (principals are few: authenticated users, or one
 * {@code anonymous}). Thread-safe; the admitted path does a map lookup and compare-and-sets, no allocation or lock.
 */
public final class QuotaManager {

    private final Clock clock;
    private final QuotaLimits defaults;
    private final Map<String, QuotaLimits> overrides;
    private final Duration burst;
    private final boolean enabled;
    private final ConcurrentHashMap<String, Buckets> buckets = new ConcurrentHashMap<>();

    /**
     * @param burst how much time's worth of each rate may be used at once (e.g. 1 s: a principal limited to 100
     *     requests/s may send 100 at once, then 100 per second)
     */
    public QuotaManager(Clock clock, QuotaLimits defaults, Map<String, QuotaLimits> overrides, Duration burst) {
        this.clock = clock;
        this.defaults = defaults;
        this.overrides = Map.copyOf(overrides);
        this.burst = burst;
        this.enabled = defaults.limited() || overrides.values().stream().anyMatch(QuotaLimits::limited);
    }

    /** Whether any principal has any limit (else the edge need not ask at all). */
    public boolean enabled() {
        return enabled;
    }

    /** The limits that apply to this principal. */
    public QuotaLimits limitsOf(String principal) {
        return overrides.getOrDefault(principal, defaults);
    }

    /**
     * Takes one request token for the principal and checks the byte quota of this kind of traffic: 0 if the request
     * may go ahead, else the nanoseconds the principal should wait before trying again (nothing is taken then).
     */
    public long admit(String principal, Traffic traffic) {
        Buckets b = bucketsOf(principal);
        long now = clock.nanoseconds();
        TokenBucket bytes = b.bytes(traffic);
        long debt = bytes == null ? 0 : bytes.waitNanos(now);
        if (debt > 0) {
            return debt;
        }
        return b.requests == null ? 0 : b.requests.tryTake(1, now);
    }

    /** Nanoseconds until the principal's bytes of this kind are within quota again; 0 if they are (or unlimited). */
    public long debt(String principal, Traffic traffic) {
        TokenBucket bucket = bucketsOf(principal).bytes(traffic);
        return bucket == null ? 0 : bucket.waitNanos(clock.nanoseconds());
    }

    /** Counts bytes the principal produced or read (others are not limited and not counted). */
    public void charge(String principal, Traffic traffic, long bytes) {
        TokenBucket bucket = bucketsOf(principal).bytes(traffic);
        if (bucket != null && bytes > 0) {
            bucket.charge(bytes, clock.nanoseconds());
        }
    }

    private Buckets bucketsOf(String principal) {
        Buckets b = buckets.get(principal);
        return b != null ? b : buckets.computeIfAbsent(principal, p -> new Buckets(limitsOf(p)));
    }

    /** One principal's buckets; null where that rate is unlimited. */
    private final class Buckets {
        final TokenBucket produce;
        final TokenBucket read;
        final TokenBucket requests;

        Buckets(QuotaLimits limits) {
            long now = clock.nanoseconds();
            produce = bucket(limits.produceBytesPerSecond(), now);
            read = bucket(limits.readBytesPerSecond(), now);
            requests = bucket(limits.requestsPerSecond(), now);
        }

        TokenBucket bytes(Traffic traffic) {
            return switch (traffic) {
                case PRODUCE -> produce;
                case READ -> read;
                case OTHER -> null;
            };
        }

        private TokenBucket bucket(long rate, long now) {
            return rate > 0 ? new TokenBucket(rate, burst, now) : null;
        }
    }
}
