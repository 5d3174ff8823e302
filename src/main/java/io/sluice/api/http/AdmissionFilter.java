package io.sluice.api.http;

import io.sluice.common.RetryLaterException;
import io.sluice.quota.InFlightBudget;
import io.sluice.quota.Traffic;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Load shedding at the edge: bounds the produce bodies in flight (by {@code Content-Length}, or the largest allowed
 * body when the length is not known in advance) and the record reads in flight (parked long-polls and streams
 * included), so that more clients than the server can serve get 429 with {@code Retry-After} instead of exhausting
 * memory. What a request holds is given back when its exchange ends (answered, failed or cancelled).
 */
public final class AdmissionFilter extends TrafficFilter {

    /** After Spring Security's filter chain (-100) and the quota filter. */
    public static final int ORDER = -40;

    private final InFlightBudget produceBytes;
    private final InFlightBudget reads;
    private final long maxRequestBytes;
    private final Duration retryAfter;
    private final LongAdder refused = new LongAdder();

    public AdmissionFilter(
            long maxInFlightProduceBytes, int maxInFlightReads, long maxRequestBytes, Duration retryAfter) {
        super(ORDER);
        this.produceBytes = new InFlightBudget(maxInFlightProduceBytes);
        this.reads = new InFlightBudget(maxInFlightReads);
        this.maxRequestBytes = maxRequestBytes;
        this.retryAfter = retryAfter;
    }

    @Override
    Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, Traffic traffic) {
        ServerHttpRequest request = exchange.getRequest();
        if (traffic == Traffic.PRODUCE) {
            long length = request.getHeaders().getContentLength();
            long held = length >= 0 ? Math.min(length, maxRequestBytes) : maxRequestBytes;
            return admitted(exchange, chain, produceBytes, held, "too many produce bytes in flight");
        }
        if (traffic == Traffic.READ) {
            return admitted(exchange, chain, reads, 1, "too many reads in flight");
        }
        return chain.filter(exchange);
    }

    private Mono<Void> admitted(
            ServerWebExchange exchange, WebFilterChain chain, InFlightBudget budget, long amount, String why) {
        if (!budget.tryAcquire(amount)) {
            refused.increment();
            return Mono.error(
                    new RetryLaterException("the server is overloaded (" + why + "); retry later", retryAfter));
        }
        return chain.filter(exchange).doFinally(signal -> budget.release(amount));
    }

    /**
     * Takes one read from the in-flight budget for a read served outside the filter chain ({@link DirectReads});
     * false when the budget is full (that read then goes down the filter chain, where it is refused and counted).
     * Each true must be matched by one {@link #releaseRead()}.
     */
    boolean tryAdmitRead() {
        return reads.tryAcquire(1);
    }

    /** Gives back a read taken by {@link #tryAdmitRead()}. */
    void releaseRead() {
        reads.release(1);
    }

    /**
     * Takes a produce body of {@code declaredLength} bytes from the in-flight budget for a produce served outside the
     * filter chain ({@link DirectProduce}); false when it does not fit (that request then goes down the filter chain,
     * where it is refused and counted). Each true must be matched by one {@link #releaseProduce}.
     */
    boolean tryAdmitProduce(long declaredLength) {
        return produceBytes.tryAcquire(declaredLength);
    }

    /** Gives back a produce body taken by {@link #tryAdmitProduce}. */
    void releaseProduce(long declaredLength) {
        produceBytes.release(declaredLength);
    }

    /** Requests refused for the in-flight bounds since start. */
    public long refused() {
        return refused.sum();
    }

    /** Produce bytes held by requests in progress (for metrics and tests). */
    public long produceBytesInFlight() {
        return produceBytes.used();
    }

    /** Reads in progress. */
    public long readsInFlight() {
        return reads.used();
    }
}
