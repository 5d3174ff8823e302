package io.sluice.app;

import io.sluice.api.http.StreamGuards;
import io.sluice.api.security.StreamIdentities;
import io.sluice.api.security.TicketApi;
import io.sluice.common.Clock;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.Acls;
import io.sluice.security.AuditLog;
import io.sluice.security.Credentials;
import io.sluice.security.live.OpenStreams;
import io.sluice.security.live.StreamTickets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Security of the live streams: stream tickets ({@code POST /security/tickets}, redeemed by the filter chain), the
 * registry of open streams and what feeds it (key revocations, ACL changes, a one-second sweep for expired JWTs, which
 * is the bound on how late such a stream ends), and the {@link StreamGuards} the WebSocket and SSE handlers use.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamTicketProperties.class)
class LiveSecurityConfiguration {

    static final Duration EXPIRY_SWEEP = Duration.ofSeconds(1);

    @Bean
    StreamTickets streamTickets(StreamTicketProperties properties, Clock clock) {
        byte[] secret = StringUtils.hasText(properties.getSecret())
                ? Base64.getDecoder().decode(properties.getSecret().trim())
                : StreamTickets.randomSecret();
        return new StreamTickets(secret, properties.getLifetime(), clock);
    }

    @Bean
    OpenStreams openStreams(Clock clock, Credentials credentials, Acls acls, StreamTickets tickets) {
        OpenStreams streams = new OpenStreams(clock);
        // Deleting a principal revokes each of its keys, so this also ends a deleted principal's streams.
        credentials.onRevocation(key -> {
            String credential = StreamIdentities.KEY + key.keyId();
            tickets.credentialRevoked(credential);
            streams.credentialRevoked(credential);
        });
        acls.onChange(() -> streams.permissionsChanged(null));
        return streams;
    }

    @Bean
    StreamGuards streamGuards(
            SecurityProperties properties, AclAuthorizer authorizer, AuditLog audit, OpenStreams streams) {
        return properties.isEnabled()
                ? StreamGuards.enforcing(authorizer, audit, streams, StreamIdentities::of)
                : StreamGuards.open();
    }

    @Bean
    @ConditionalOnProperty(name = "sluice.security.enabled", havingValue = "true")
    RouterFunction<ServerResponse> ticketRoutes(StreamTickets tickets) {
        return new TicketApi(tickets, HttpConfiguration.API_JSON).routes();
    }

    @Bean(destroyMethod = "dispose")
    @ConditionalOnProperty(name = "sluice.security.enabled", havingValue = "true")
    Disposable streamExpirySweep(OpenStreams streams) {
        return Flux.interval(EXPIRY_SWEEP, Schedulers.parallel()).subscribe(tick -> streams.expire());
    }
}
