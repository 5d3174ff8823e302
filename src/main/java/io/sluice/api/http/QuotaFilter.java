package io.sluice.api.http;

import io.sluice.common.RetryLaterException;
import io.sluice.quota.QuotaManager;
import io.sluice.quota.Traffic;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies the {@link QuotaManager} to API requests: a request over its principal's quota is answered 429 with
 * {@code Retry-After} (the time until the quota allows it) and a JSON error; an admitted produce is charged its body
 * bytes, an admitted read the bytes of its answer as they are written (streams included).
 *
 * <p>The principal is the exchange's authenticated principal (with Spring Security, the {@code Authentication} of
 * the reactive security context, by its {@code getName()}), else {@value #ANONYMOUS}: all unauthenticated callers share
 * one quota. Runs after Spring Security's filter chain, before {@link AdmissionFilter}.
 */
public final class QuotaFilter extends TrafficFilter {

    /** The principal of requests without an authenticated one. */
    public static final String ANONYMOUS = "anonymous";

    public static final int ORDER = -50;

    private static final Mono<String> ANONYMOUS_NAME = Mono.just(ANONYMOUS);

    private final QuotaManager quotas;
    private final LongAdder refused = new LongAdder();

    public QuotaFilter(QuotaManager quotas) {
        super(ORDER);
        this.quotas = quotas;
    }

    @Override
    Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, Traffic traffic) {
        if (!quotas.enabled()) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
                .map(Principal::getName)
                .switchIfEmpty(ANONYMOUS_NAME)
                .flatMap(principal -> admit(principal, traffic, exchange, chain));
    }

    private Mono<Void> admit(String principal, Traffic traffic, ServerWebExchange exchange, WebFilterChain chain) {
        long waitNanos = quotas.admit(principal, traffic);
        if (waitNanos > 0) {
            refused.increment();
            return Mono.error(new RetryLaterException(
                    "quota exceeded for principal '" + principal + "' ("
                            + traffic.name().toLowerCase() + ")",
                    Duration.ofNanos(waitNanos)));
        }
        if (traffic == Traffic.PRODUCE) {
            return chain.filter(charged(principal, exchange));
        }
        if (traffic == Traffic.READ) {
            return chain.filter(exchange.mutate()
                    .response(new CountedResponse(exchange.getResponse(), principal))
                    .build());
        }
        return chain.filter(exchange);
    }

    /** Requests refused for being over quota since start. */
    public long refused() {
        return refused.sum();
    }

    /**
     * Charges a produce body: by its declared length at once, else buffer by buffer as it arrives, slowed down while
     * the principal is over quota (a long NDJSON stream cannot outrun its quota).
     */
    private ServerWebExchange charged(String principal, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        long length = request.getHeaders().getContentLength();
        if (length >= 0) {
            quotas.charge(principal, Traffic.PRODUCE, length);
            return exchange;
        }
        return exchange.mutate()
                .request(new ServerHttpRequestDecorator(request) {
                    @Override
                    public Flux<DataBuffer> getBody() {
                        return paced(super.getBody(), principal, Traffic.PRODUCE);
                    }
                })
                .build();
    }

    /**
     * Charges each buffer of a stream as it passes and holds it back while the principal's earlier bytes are still in
     * debt, so streams (NDJSON produce, SSE, follow reads) are slowed to the quota instead of refused midway. One
     * buffer at a time; a buffer dropped by a cancel during its wait is released.
     */
    private <T extends DataBuffer> Flux<T> paced(Flux<T> buffers, String principal, Traffic traffic) {
        return buffers.concatMap(
                        buffer -> {
                            long wait = quotas.debt(principal, traffic);
                            quotas.charge(principal, traffic, buffer.readableByteCount());
                            Mono<T> one = Mono.just(buffer);
                            return wait > 0 ? one.delayElement(Duration.ofNanos(wait)) : one;
                        },
                        1)
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /**
     * A response that charges the bytes it writes to the principal's read quota; a streamed answer is paced (a
     * single-buffer answer was admitted and is only charged: the debt holds back the next request).
     */
    private final class CountedResponse extends ServerHttpResponseDecorator {
        private final String principal;

        CountedResponse(ServerHttpResponse delegate, String principal) {
            super(delegate);
            this.principal = principal;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (body instanceof Mono<? extends DataBuffer> one) {
                return super.writeWith(one.doOnNext(this::charge));
            }
            return super.writeWith(paced(Flux.from(body), principal, Traffic.READ));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return super.writeAndFlushWith(
                    Flux.from(body).map(chunk -> paced(Flux.from(chunk), principal, Traffic.READ)));
        }

        private void charge(DataBuffer buffer) {
            quotas.charge(principal, Traffic.READ, buffer.readableByteCount());
        }
    }
}
