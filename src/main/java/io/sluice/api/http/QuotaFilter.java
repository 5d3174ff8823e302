package io.sluice.api.http;

import io.sluice.common.RetryLaterException;
import io.sluice.quota.QuotaManager;
import io.sluice.quota.Traffic;
import java.security.Principal;
import java.time.Duration;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
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
public final class QuotaFilter implements WebFilter, Ordered {

    /** The principal of requests without an authenticated one. */
    public static final String ANONYMOUS = "anonymous";

    public static final int ORDER = -50;

    private static final Mono<String> ANONYMOUS_NAME = Mono.just(ANONYMOUS);

    private final QuotaManager quotas;

    public QuotaFilter(QuotaManager quotas) {
        this.quotas = quotas;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Traffic traffic = TrafficKinds.of(request.getMethod(), request.getPath().value());
        if (traffic == null || !quotas.enabled()) {
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

    /** Charges a produce body: by its declared length at once, else buffer by buffer as it arrives. */
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
                        return super.getBody()
                                .doOnNext(buffer ->
                                        quotas.charge(principal, Traffic.PRODUCE, buffer.readableByteCount()));
                    }
                })
                .build();
    }

    /** A response that charges the bytes it writes to the principal's read quota. */
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
            return super.writeWith(Flux.from(body).doOnNext(this::charge));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return super.writeAndFlushWith(
                    Flux.from(body).map(chunk -> Flux.from(chunk).doOnNext(this::charge)));
        }

        private void charge(DataBuffer buffer) {
            quotas.charge(principal, Traffic.READ, buffer.readableByteCount());
        }
    }
}
