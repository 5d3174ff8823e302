package io.sluice.api.http;

import io.sluice.quota.Traffic;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A filter that limits requests by what they do ({@link TrafficKinds}); requests no limit applies to (the actuator)
 * pass untouched.
 */
abstract class TrafficFilter implements WebFilter, Ordered {

    private final int order;

    TrafficFilter(int order) {
        this.order = order;
    }

    @Override
    public final int getOrder() {
        return order;
    }

    @Override
    public final Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Traffic traffic = TrafficKinds.of(request.getMethod(), request.getPath().value());
        return traffic == null ? chain.filter(exchange) : filter(exchange, chain, traffic);
    }

    /** Filters a request of this kind of traffic. */
    abstract Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, Traffic traffic);
}
