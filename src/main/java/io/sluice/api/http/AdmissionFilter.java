package io.sluice.api.http;

import io.sluice.common.RetryLaterException;
import io.sluice.quota.InFlightBudget;
import io.sluice.quota.Traffic;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Load shedding at the edge: bounds the produce bodies in flight (by {@code Content-Length}, or the largest allowed
 * body when the length is not known in advance) and the record reads in flight (parked long-polls and streams
 * included), so that more clients than the server can serve get 429 with {@code Retry-After} instead of exhausting
 * memory. What a request holds is given back when its exchange ends (answered, failed or cancelled).
 */
public final class AdmissionFilter implements WebFilter, Ordered {

    /** After Spring Security's filter chain (-100) and the quota filter. */
    public static final int ORDER = -40;

    private final InFlightBudget produceBytes;
    private final InFlightBudget reads;
    private final long maxRequestBytes;
    private final Duration retryAfter;

    public AdmissionFilter(
            long maxInFlightProduceBytes, int maxInFlightReads, long maxRequestBytes, Duration retryAfter) {
        this.produceBytes = new InFlightBudget(maxInFlightProduceBytes);
        this.reads = new InFlightBudget(maxInFlightReads);
        this.maxRequestBytes = maxRequestBytes;
        this.retryAfter = retryAfter;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Traffic traffic = TrafficKinds.of(request.getMethod(), request.getPath().value());
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
            return Mono.error(
                    new RetryLaterException("the server is overloaded (" + why + "); retry later", retryAfter));
        }
        return chain.filter(exchange).doFinally(signal -> budget.release(amount));
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
