package io.sluice.app;

import io.sluice.api.http.Access;
import io.sluice.api.http.SecurityApi;
import io.sluice.api.security.BearerAuthenticationManager;
import io.sluice.api.security.ClusterAuthorization;
import io.sluice.api.security.SecurityResponses;
import io.sluice.api.security.StreamTicketFilter;
import io.sluice.common.Clock;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.Acls;
import io.sluice.security.AuditLog;
import io.sluice.security.Credentials;
import io.sluice.security.Operation;
import io.sluice.security.jdbc.JdbcAclStore;
import io.sluice.security.jdbc.JdbcCredentialStore;
import io.sluice.security.live.StreamTickets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Security wiring: the credential and ACL stores (H2), the in-memory {@link Credentials} and {@link AclAuthorizer},
 * the API's {@link Access} checks and Spring Security's reactive filter chain.
 *
 * <p>How the web edge knows the caller: the chain authenticates {@code Authorization: Bearer <token>} (an API key,
 * or a JWT when {@code sluice.security.jwt.*} is set) and stores the resulting {@code Authentication} in the
 * reactive security context. Its {@code getName()} is the principal name, whichever way it came; reach it with
 * {@code ReactiveSecurityContextHolder.getContext()} (in filters) or {@code ServerRequest#principal()} /
 * {@code ServerWebExchange#getPrincipal()} (in handlers). An API-key login is an {@code ApiKeyAuthentication}
 * carrying the key id; {@link Credentials#onRevocation} tells of revoked keys. ACL decisions: {@link Access}
 * (routes and handlers) and the {@link io.sluice.security.Authorizer} bean.
 *
 * <p>With {@code sluice.security.enabled=false} (the default) Spring Security's filter proxy is taken out of the web
 * filter chain (no firewall, no security filter, no CSRF, no extra headers; see {@link #noSecurityFiltersWhenOff}),
 * the chain below matches no request anyway, and {@link Access} checks nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    /** GET paths anyone may fetch: the dashboard's static files and the API contract. */
    private static final String[] PUBLIC_GETS = {
        "/", "/index.html", "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/openapi.yaml"
    };

    @Bean
    JdbcCredentialStore credentialStore(DataSource dataSource) {
        return new JdbcCredentialStore(dataSource).initialize();
    }

    @Bean
    JdbcAclStore aclStore(DataSource dataSource) {
        return new JdbcAclStore(dataSource).initialize();
    }

    @Bean
    Credentials credentials(JdbcCredentialStore store, Clock clock, SecurityProperties properties) {
        return new Credentials(
                store,
                clock,
                properties.getAdminPrincipal(),
                Optional.ofNullable(properties.getAdminKey()).filter(StringUtils::hasText));
    }

    @Bean
    Acls acls(JdbcAclStore store, SecurityProperties properties) {
        Set<String> superUsers = new HashSet<>(properties.getSuperUsers());
        superUsers.add(properties.getAdminPrincipal());
        return new Acls(store, new AclAuthorizer(superUsers));
    }

    @Bean
    AclAuthorizer authorizer(Acls acls) {
        return acls.authorizer();
    }

    /**
     * No Micrometer observation per security filter and decision: with actuator present Spring Security would wrap
     * each of its filters in an observation, a cost on every request; the audit log and HTTP metrics cover it.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    AuditLog auditLog() {
        return new AuditLog();
    }

    @Bean
    Access access(SecurityProperties properties, AclAuthorizer authorizer, AuditLog audit) {
        return properties.isEnabled() ? Access.enforcing(authorizer, audit) : Access.open();
    }

    @Bean
    RouterFunction<ServerResponse> securityRoutes(
            Credentials credentials, Acls acls, Access access, Scheduler storageScheduler, SluiceProperties sluice) {
        return new SecurityApi(
                        credentials,
                        acls,
                        access,
                        HttpConfiguration.API_JSON,
                        storageScheduler,
                        HttpConfiguration.settings(sluice))
                .routes();
    }

    /**
     * With security off, Spring Security's {@link WebFilterChainProxy} leaves the web filter chain. A security chain
     * that matches no request is not enough: the proxy would still run its firewall on every request (path and
     * header checks, the header ones by regular expression, and a wrapper around the exchange that every later
     * step goes through) and look the chain up, a fixed cost that was a large share of an idle long-poll's.
     */
    @Bean
    WebHttpHandlerBuilderCustomizer noSecurityFiltersWhenOff(SecurityProperties properties) {
        return builder -> {
            if (!properties.isEnabled()) {
                builder.filters(filters -> filters.removeIf(WebFilterChainProxy.class::isInstance));
            }
        };
    }

    @Bean
    SecurityWebFilterChain sluiceSecurityChain(
            ServerHttpSecurity http,
            SecurityProperties properties,
            Credentials credentials,
            AclAuthorizer authorizer,
            AuditLog audit,
            StreamTickets tickets) {
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        if (!properties.isEnabled()) {
            // matches no request, so not one security filter runs: security off costs nothing per request
            return http.securityMatcher(exchange -> ServerWebExchangeMatcher.MatchResult.notMatch())
                    .headers(ServerHttpSecurity.HeaderSpec::disable)
                    .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                    .build();
        }
        SecurityResponses responses = new SecurityResponses(HttpConfiguration.API_JSON, audit);
        Optional<ReactiveAuthenticationManager> jwt = JwtDecoding.manager(
                        properties.getJwt(), properties.getAdminPrincipal())
                .map(ReactiveAuthenticationManager.class::cast);
        BearerAuthenticationManager bearer = new BearerAuthenticationManager(credentials, jwt);
        return http.oauth2ResourceServer(server -> server.authenticationManagerResolver(exchange -> Mono.just(bearer))
                        .authenticationEntryPoint(responses)
                        .accessDeniedHandler(responses))
                // browsers' WebSocket and EventSource cannot send headers: streams also take ?ticket= (single use)
                .addFilterAt(StreamTicketFilter.create(tickets, responses), SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(
                        handling -> handling.authenticationEntryPoint(responses).accessDeniedHandler(responses))
                .authorizeExchange(exchanges -> exchanges
                        // a CORS preflight carries no credentials; the CORS filter answers it
                        .pathMatchers(HttpMethod.OPTIONS)
                        .permitAll()
                        .pathMatchers(HttpMethod.GET, PUBLIC_GETS)
                        .permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .pathMatchers("/actuator/**")
                        .access(new ClusterAuthorization(authorizer, audit, Operation.DESCRIBE))
                        // the API's routes check their ACLs themselves (io.sluice.api.http.Access)
                        .anyExchange()
                        .authenticated())
                .build();
    }
}
