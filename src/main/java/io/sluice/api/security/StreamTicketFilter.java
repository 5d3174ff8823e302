package io.sluice.api.security;

import io.sluice.security.live.StreamTickets;
import io.sluice.security.live.TicketRejectedException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Authenticates live-stream requests by {@code ?ticket=<stream ticket>} (see {@link StreamTickets}): {@code GET /ws},
 * {@code GET /topics/{t}/events} and {@code GET /topics/{t}/partitions/{p}/records?follow=true}, and nothing else, so
 * a leaked ticket can at most open one stream for its short life. A request that also has an {@code Authorization}
 * header is left to the bearer authentication. A refused ticket is a 401 like any refused bearer token (the reason is
 * logged here, not told to the client). Redeeming is in-memory work: nothing here blocks.
 */
public final class StreamTicketFilter {

    /** The query parameter that carries a ticket. */
    public static final String PARAMETER = "ticket";

    private static final Logger log = LoggerFactory.getLogger(StreamTicketFilter.class);
    private static final List<PathPattern> STREAMS = List.of(
            PathPatternParser.defaultInstance.parse("/ws"),
            PathPatternParser.defaultInstance.parse("/topics/{topic}/events"));
    private static final PathPattern FOLLOW =
            PathPatternParser.defaultInstance.parse("/topics/{topic}/partitions/{partition}/records");

    private StreamTicketFilter() {}

    /** The filter, to be placed at the chain's authentication step. */
    public static AuthenticationWebFilter create(StreamTickets tickets, ServerAuthenticationEntryPoint entryPoint) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager(tickets));
        filter.setRequiresAuthenticationMatcher(StreamTicketFilter::matches);
        filter.setServerAuthenticationConverter(exchange -> Mono.justOrEmpty(ticket(exchange.getRequest()))
                .map(ticket -> new UsernamePasswordAuthenticationToken(null, ticket)));
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return filter;
    }

    private static ReactiveAuthenticationManager manager(StreamTickets tickets) {
        return authentication -> Mono.fromCallable(() -> {
            try {
                return new StreamTicketAuthentication(
                        tickets.redeem(authentication.getCredentials().toString()));
            } catch (TicketRejectedException e) {
                if (e.reason() == TicketRejectedException.Reason.ALREADY_USED) {
                    // A replay may mean a ticket was copied from a URL someone else saw.
                    log.warn("stream ticket refused: {}", e.reason());
                } else {
                    log.info("stream ticket refused: {}", e.reason());
                }
                throw new InvalidBearerTokenException("invalid or expired stream ticket");
            }
        });
    }

    private static Mono<ServerWebExchangeMatcher.MatchResult> matches(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        boolean stream = HttpMethod.GET.equals(request.getMethod())
                && ticket(request) != null
                && !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
                && isStreamPath(request);
        return stream ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    private static boolean isStreamPath(ServerHttpRequest request) {
        var path = request.getPath().pathWithinApplication();
        if (STREAMS.stream().anyMatch(pattern -> pattern.matches(path))) {
            return true;
        }
        return FOLLOW.matches(path) && "true".equals(request.getQueryParams().getFirst("follow"));
    }

    private static String ticket(ServerHttpRequest request) {
        return request.getQueryParams().getFirst(PARAMETER);
    }
}
