package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AuditLog;
import io.sluice.security.Authorizer;
import io.sluice.security.Operation;
import io.sluice.security.Principal;
import io.sluice.security.ResourceType;
import java.net.InetSocketAddress;
import java.util.function.Predicate;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The API's ACL checks. Routes declare what they need ({@link #guard}: an operation on the resource named by a path
 * variable); handlers check what only the body names ({@link #require}) and filter listings ({@link #visible}).
 *
 * <p>The caller is the request's authenticated {@link java.security.Principal} ({@link ServerRequest#principal()},
 * which Spring Security's filter chain fills in: its name is the principal, whether it came from an API key or a
 * JWT). A check runs before the handler looks anything up, so a 403 says the same whether the resource exists or not
 * (existence never leaks to someone not allowed to describe it). Every denial and every administrative decision goes
 * to the {@link AuditLog}. When security is off ({@link #open()}) every check passes without looking at anything.
 * Immutable, thread-safe, non-blocking.
 */
public final class Access {

    private final Authorizer authorizer;
    private final AuditLog audit;
    private final boolean enforcing;

    private Access(Authorizer authorizer, AuditLog audit, boolean enforcing) {
        this.authorizer = authorizer;
        this.audit = audit;
        this.enforcing = enforcing;
    }

    /** No checks: security is off. */
    public static Access open() {
        return new Access(Authorizer.ALLOW_ALL, new AuditLog(), false);
    }

    /** Checks every request against {@code authorizer}. */
    public static Access enforcing(Authorizer authorizer, AuditLog audit) {
        return new Access(authorizer, audit, true);
    }

    public boolean isEnforcing() {
        return enforcing;
    }

    /** {@code handler}, run only if the caller may do {@code operation} on the resource named by {@code variable}. */
    HandlerFunction<ServerResponse> guard(
            Operation operation, ResourceType type, String variable, HandlerFunction<ServerResponse> handler) {
        if (!enforcing) {
            return handler;
        }
        return request -> require(request, operation, type, request.pathVariable(variable))
                .then(Mono.defer(() -> handler.handle(request)));
    }

    /** {@code handler}, run only if the caller may do {@code operation} on the cluster. */
    HandlerFunction<ServerResponse> guardCluster(Operation operation, HandlerFunction<ServerResponse> handler) {
        if (!enforcing) {
            return handler;
        }
        return request -> require(request, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
                .then(Mono.defer(() -> handler.handle(request)));
    }

    /** Completes empty if allowed; fails with 403 (or 401 without a caller) otherwise. */
    Mono<Void> require(ServerRequest request, Operation operation, ResourceType type, String name) {
        if (!enforcing) {
            return Mono.empty();
        }
        return caller(request).flatMap(principal -> {
            boolean allowed = authorizer.allowed(principal, operation, type, name);
            return decided(request, allowed, principal, operation, type, name);
        });
    }

    /** Completes empty if {@code operation} on {@code type} is allowed for the caller on any one of the names. */
    Mono<Void> requireEither(ServerRequest request, Operation operation, ResourceType type, String name) {
        if (!enforcing) {
            return Mono.empty();
        }
        // Creating a topic: CREATE on the topic's name or on the cluster (Kafka's rule).
        return caller(request).flatMap(principal -> {
            boolean allowed = authorizer.allowedOnCluster(principal, operation)
                    || authorizer.allowed(principal, operation, type, name);
            return decided(request, allowed, principal, operation, type, name);
        });
    }

    /** Completes empty if the caller may do {@code operation} on every one of {@code topics}; 403 on the first not. */
    Mono<Void> requireTopics(ServerRequest request, Operation operation, java.util.Collection<String> topics) {
        if (!enforcing || topics.isEmpty()) {
            return Mono.empty();
        }
        return reactor.core.publisher.Flux.fromIterable(new java.util.LinkedHashSet<>(topics))
                .concatMap(topic -> require(request, operation, ResourceType.TOPIC, topic))
                .then();
    }

    /**
     * Completes empty if the caller may use the consumer instance {@code instance} of {@code group}: it has no owner
     * (made while security was off, or gone: the call then answers 40403), the caller created it, or the caller is a
     * super-user. Otherwise 403, audited; the message names only what the caller asked for, never the owner.
     */
    Mono<Void> requireOwner(ServerRequest request, String group, String instance, java.util.Optional<String> owner) {
        if (!enforcing || owner.isEmpty()) {
            return Mono.empty();
        }
        return caller(request).flatMap(principal -> {
            if (owner.get().equals(principal.name()) || authorizer.isSuperUser(principal)) {
                return Mono.empty();
            }
            String resource = group + "/instances/" + instance;
            audit.decision(
                    false, principal, Operation.READ, ResourceType.GROUP, resource, remote(request), describe(request));
            return Mono.error(new SluiceException(
                    ErrorCode.FORBIDDEN,
                    "not authorized to use consumer instance '" + instance + "' of group '" + group
                            + "': it belongs to another principal"));
        });
    }

    /** The topics of {@code partitions}. */
    static java.util.Set<String> topicsOf(java.util.Collection<io.sluice.common.TopicPartition> partitions) {
        java.util.Set<String> topics = new java.util.LinkedHashSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        return topics;
    }

    /** Audits the decision when it must be (the plain allowed read or write is not: the hot path) and answers it. */
    private Mono<Void> decided(
            ServerRequest request,
            boolean allowed,
            Principal principal,
            Operation operation,
            ResourceType type,
            String name) {
        if (allowed && !AuditLog.isAdministrative(operation, type)) {
            return Mono.empty();
        }
        audit.decision(allowed, principal, operation, type, name, remote(request), describe(request));
        return allowed ? Mono.empty() : Mono.error(forbidden(operation, type, name));
    }

    /** Which resources of {@code type} the caller may see in a listing (DESCRIBE). */
    Mono<Predicate<String>> visible(ServerRequest request, ResourceType type) {
        if (!enforcing) {
            return Mono.just(name -> true);
        }
        return caller(request).map(principal ->
                (Predicate<String>) name -> authorizer.allowed(principal, Operation.DESCRIBE, type, name));
    }

    /** Writes a change the caller made to the audit log (also when security is off: then the caller is "-"). */
    Mono<Void> changed(ServerRequest request, String what) {
        return request.principal()
                .map(java.security.Principal::getName)
                .defaultIfEmpty("-")
                .doOnNext(name -> audit.change(name, what, remote(request)))
                .then();
    }

    /** Who will own what the caller creates: its name when security is on, else nothing (instances have no owner). */
    Mono<java.util.Optional<String>> owner(ServerRequest request) {
        if (!enforcing) {
            return Mono.just(java.util.Optional.empty());
        }
        return caller(request).map(principal -> java.util.Optional.of(principal.name()));
    }

    /** The authenticated caller; 401 if there is none (the filter chain lets no such request reach a guarded route). */
    Mono<Principal> caller(ServerRequest request) {
        return request.principal()
                .map(principal -> new Principal(principal.getName()))
                .switchIfEmpty(
                        Mono.error(() -> new SluiceException(ErrorCode.UNAUTHORIZED, "authentication required")));
    }

    private static SluiceException forbidden(Operation operation, ResourceType type, String name) {
        return new SluiceException(
                ErrorCode.FORBIDDEN,
                "not authorized to " + operation + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " '" + name
                        + "'");
    }

    private static String remote(ServerRequest request) {
        return request.remoteAddress().map(InetSocketAddress::getHostString).orElse("-");
    }

    private static String describe(ServerRequest request) {
        return request.method().name() + " " + request.path();
    }
}
