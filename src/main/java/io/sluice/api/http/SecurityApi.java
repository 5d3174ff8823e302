package io.sluice.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.Acls;
import io.sluice.security.Credentials;
import io.sluice.security.IssuedKey;
import io.sluice.security.Operation;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code /security/*}: principals, their API keys and the ACLs. Changing anything needs ALTER on the cluster, reading
 * needs DESCRIBE on it ({@code GET /security/whoami} only needs a login). A new key's secret appears once, in the 201
 * answer, marked {@code Cache-Control: no-store}. Every change is written to the audit log.
 */
public final class SecurityApi {

    static final String PRINCIPALS = "/security/principals";
    static final String PRINCIPAL = "/security/principals/{name}";
    static final String KEYS = "/security/principals/{name}/keys";
    static final String KEY = "/security/principals/{name}/keys/{id}";
    static final String ACLS = "/security/acls";
    static final String WHOAMI = "/security/whoami";

    private final Credentials credentials;
    private final Acls acls;
    private final Access access;
    private final HttpSupport http;

    public SecurityApi(
            Credentials credentials,
            Acls acls,
            Access access,
            ObjectMapper mapper,
            Scheduler storageScheduler,
            HttpApi.Settings settings) {
        this.credentials = credentials;
        this.acls = acls;
        this.access = access;
        this.http = new HttpSupport(mapper, storageScheduler, settings.maxRequestBytes(), settings.bodyTimeout());
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .route(GET(WHOAMI), safe(this::whoami))
                .route(GET(PRINCIPALS), cluster(Operation.DESCRIBE, this::listPrincipals))
                .route(POST(PRINCIPALS), cluster(Operation.ALTER, this::createPrincipal))
                .route(GET(PRINCIPAL), cluster(Operation.DESCRIBE, this::describePrincipal))
                .route(DELETE(PRINCIPAL), cluster(Operation.ALTER, this::deletePrincipal))
                .route(POST(KEYS), cluster(Operation.ALTER, this::issueKey))
                .route(DELETE(KEY), cluster(Operation.ALTER, this::revokeKey))
                .route(GET(ACLS), cluster(Operation.DESCRIBE, this::listAcls))
                .route(POST(ACLS), cluster(Operation.ALTER, this::createAcls))
                .route(DELETE(ACLS), cluster(Operation.ALTER, this::deleteAcls))
                .build();
    }

    private Mono<ServerResponse> whoami(ServerRequest request) {
        if (!access.isEnforcing()) {
            return http.respond(
                    request,
                    HttpStatus.OK,
                    JsonNodeFactory.instance.objectNode().putNull("principal").put("security_enabled", false));
        }
        return access.caller(request)
                .flatMap(principal -> http.respond(
                        request,
                        HttpStatus.OK,
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("principal", principal.name())
                                .put("security_enabled", true)
                                .put("super_user", acls.authorizer().isSuperUser(principal))));
    }

    private Mono<ServerResponse> listPrincipals(ServerRequest request) {
        return http.blocking(credentials::principals).flatMap(list -> {
            ArrayNode body = JsonNodeFactory.instance.arrayNode();
            list.forEach(principal -> body.add(SecurityBodies.principalJson(principal)));
            return http.respond(request, HttpStatus.OK, body);
        });
    }

    private Mono<ServerResponse> describePrincipal(ServerRequest request) {
        String name = request.pathVariable("name");
        return http.blocking(() -> credentials.principals().stream()
                        .filter(principal -> principal.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new SluiceException(
                                ErrorCode.PRINCIPAL_NOT_FOUND, "principal '" + name + "' not found")))
                .flatMap(principal -> http.respond(request, HttpStatus.OK, SecurityBodies.principalJson(principal)));
    }

    private Mono<ServerResponse> createPrincipal(ServerRequest request) {
        TopicHandler.requireJson(request);
        return http.json(request)
                .map(body -> {
                    if (!body.isObject()) {
                        throw new SluiceException(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
                    }
                    ConsumerBodies.allowOnly(body, java.util.Set.of("name"), "the body");
                    return SecurityBodies.requiredText(body, "name");
                })
                .flatMap(name -> http.blocking(() -> credentials.createPrincipal(name)))
                .flatMap(created -> access.changed(request, "created principal " + created.name())
                        .then(http.respond(request, HttpStatus.CREATED, SecurityBodies.principalJson(created))));
    }

    private Mono<ServerResponse> deletePrincipal(ServerRequest request) {
        String name = request.pathVariable("name");
        return http.blocking(() -> {
                    credentials.deletePrincipal(name);
                    return name;
                })
                .flatMap(deleted -> access.changed(request, "deleted principal " + deleted + " and its keys"))
                .then(ServerResponse.noContent().build());
    }

    private Mono<ServerResponse> issueKey(ServerRequest request) {
        String name = request.pathVariable("name");
        return http.blocking(() -> credentials.issueKey(name))
                .flatMap(key -> access.changed(request, "issued key " + key.id() + " to " + name)
                        .then(respondKey(request, key)));
    }

    private Mono<ServerResponse> respondKey(ServerRequest request, IssuedKey key) {
        var body = JsonNodeFactory.instance
                .objectNode()
                .put("id", key.id())
                .put("principal", key.principal())
                .put("key", key.key())
                .put("created_at", key.createdAt());
        return ServerResponse.status(HttpStatus.CREATED)
                .contentType(HttpSupport.negotiate(request, SluiceMediaTypes.JSON_RESPONSES))
                .cacheControl(CacheControl.noStore())
                .bodyValue(http.mapper().writeValueAsBytes(body));
    }

    private Mono<ServerResponse> revokeKey(ServerRequest request) {
        String name = request.pathVariable("name");
        String id = request.pathVariable("id");
        return http.blocking(() -> {
                    credentials.revokeKey(name, id);
                    return id;
                })
                .flatMap(revoked -> access.changed(request, "revoked key " + revoked + " of " + name))
                .then(ServerResponse.noContent().build());
    }

    private Mono<ServerResponse> listAcls(ServerRequest request) {
        AclFilter filter = SecurityBodies.filter(request);
        return http.blocking(() -> acls.list(filter)).flatMap(list -> respondBindings(request, HttpStatus.OK, list));
    }

    private Mono<ServerResponse> createAcls(ServerRequest request) {
        TopicHandler.requireJson(request);
        return http.json(request)
                .map(SecurityBodies::bindings)
                .flatMap(bindings -> http.blocking(() -> acls.add(bindings)))
                .flatMap(added -> access.changed(request, "added ACLs " + added)
                        .then(respondBindings(request, HttpStatus.CREATED, added)));
    }

    private Mono<ServerResponse> deleteAcls(ServerRequest request) {
        AclFilter filter = SecurityBodies.filter(request);
        if (filter.isEmpty()) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST,
                    "name at least one of principal, resource_type, resource_name, pattern_type, operation,"
                            + " permission (deleting every ACL at once is refused)");
        }
        return http.blocking(() -> acls.delete(filter))
                .flatMap(removed -> access.changed(request, "deleted ACLs " + removed)
                        .then(respondBindings(request, HttpStatus.OK, removed)));
    }

    private Mono<ServerResponse> respondBindings(ServerRequest request, HttpStatus status, List<AclBinding> bindings) {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        bindings.forEach(binding -> body.add(SecurityBodies.bindingJson(binding)));
        return http.respond(request, status, body);
    }

    private HandlerFunction<ServerResponse> cluster(Operation operation, HandlerFunction<ServerResponse> handler) {
        return access.guardCluster(operation, safe(handler));
    }

    private static HandlerFunction<ServerResponse> safe(HandlerFunction<ServerResponse> handler) {
        return request -> Mono.defer(() -> handler.handle(request));
    }
}
