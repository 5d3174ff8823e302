package io.sluice.api.security;

import io.sluice.security.AuditLog;
import io.sluice.security.Authorizer;
import io.sluice.security.Operation;
import io.sluice.security.Principal;
import io.sluice.security.ResourceType;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

/**
 * A filter-chain rule for paths outside the API's routes (the actuator): the caller needs {@code operation} on the
 * cluster. Audited like every other decision.
 */
public final class ClusterAuthorization implements ReactiveAuthorizationManager<AuthorizationContext> {

    private final Authorizer authorizer;
    private final AuditLog audit;
    private final Operation operation;

    public ClusterAuthorization(Authorizer authorizer, AuditLog audit, Operation operation) {
        this.authorizer = authorizer;
        this.audit = audit;
        this.operation = operation;
    }

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        return authentication
                .filter(Authentication::isAuthenticated)
                .filter(auth -> Principal.isValidName(auth.getName()))
                .map(auth -> {
                    Principal principal = new Principal(auth.getName());
                    boolean allowed = authorizer.allowedOnCluster(principal, operation);
                    audit.decision(
                            allowed,
                            principal,
                            operation,
                            ResourceType.CLUSTER,
                            ResourceType.CLUSTER_NAME,
                            SecurityResponses.remote(context.getExchange()),
                            SecurityResponses.request(context.getExchange()));
                    return (AuthorizationResult) new AuthorizationDecision(allowed);
                })
                .defaultIfEmpty(new AuthorizationDecision(false));
    }
}
