package io.sluice.api.ws;

import io.sluice.quota.QuotaManager;
import io.sluice.quota.Traffic;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Meters one WebSocket connection against its principal's quotas, the same {@link QuotaManager} buckets its HTTP
 * requests use: each {@code produce} frame is charged to the produce-bytes quota, each frame a subscription sends
 * (records, caught-up, assignment) to the read-bytes quota. The handshake itself was admitted by the HTTP quota
 * filter as one request.
 *
 * <p>Like a running HTTP stream, a connection over quota is paced, never refused midway: a produce frame is handled
 * only once the principal's earlier produce bytes are paid off (and since the connection handles its frames one at a
 * time without reading ahead, the client is held back by TCP flow control); a subscription's next frame waits until
 * the principal's read debt is paid off (and since the socket pulls one frame at a time, the log is not read for it
 * meanwhile). A frame is charged when it is let through, so one large frame may overdraw and the next waits it off.
 *
 * <p>Immutable, thread-safe (the buckets are the quota manager's). Costs nothing when no quota is set.
 */
final class SocketQuota {

    private final QuotaManager quotas;
    private final String principal;
    private final Scheduler timer;

    /** @param quotas null or disabled: nothing is metered */
    SocketQuota(QuotaManager quotas, String principal, Scheduler timer) {
        this.quotas = quotas != null && quotas.enabled() ? quotas : null;
        this.principal = principal;
        this.timer = timer;
    }

    /** Completes once the principal may produce again, having charged {@code bytes} (the frame's size). */
    Mono<Void> produce(long bytes) {
        if (quotas == null) {
            return Mono.empty();
        }
        long wait = charge(Traffic.PRODUCE, bytes);
        return wait > 0 ? Mono.delay(Duration.ofNanos(wait), timer).then() : Mono.empty();
    }

    /** {@code frames}, each charged to the read quota and held back while the principal's reads are in debt. */
    Flux<String> paced(Flux<String> frames) {
        if (quotas == null) {
            return frames;
        }
        return frames.concatMap(
                frame -> {
                    long wait = charge(Traffic.READ, utf8Length(frame));
                    Mono<String> one = Mono.just(frame);
                    return wait > 0 ? one.delayElement(Duration.ofNanos(wait), timer) : one;
                },
                1);
    }

    /**
     * Charges {@code bytes} of {@code traffic} to the principal; returns how long to hold them back first: the
     * nanoseconds until the principal's earlier bytes of that kind are paid off (0: go now).
     */
    long charge(Traffic traffic, long bytes) {
        long wait = quotas.debt(principal, traffic);
        quotas.charge(principal, traffic, bytes);
        return wait;
    }

    /** The frame's size on the wire (text frames are UTF-8), without encoding it. */
    static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c)) {
                    bytes += 2; // with its low surrogate: 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
