package io.sluice.api.security;

import io.sluice.common.ErrorCode;
import io.sluice.security.AuditLog;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The filter chain's refusals, in the API's error shape ({@code {"error_code","message"}}): 401 with {@code
 * WWW-Authenticate: Bearer realm="sluice"} (plus {@code error="invalid_token"} when a token was presented and
 * refused, RFC 6750) and 403 for denials the chain itself makes (actuator endpoints). Every refusal is audited.
 * The messages never say whether a key exists, was revoked, or which part of a JWT failed.
 */
public final class SecurityResponses implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private static final String REALM = "Bearer realm=\"sluice\"";

    private final ObjectMapper mapper;
    private final AuditLog audit;

    public SecurityResponses(ObjectMapper mapper, AuditLog audit) {
        this.mapper = mapper;
        this.audit = audit;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        boolean tokenRefused = failure instanceof OAuth2AuthenticationException;
        String reason = tokenRefused ? "invalid bearer token" : "no bearer token";
        audit.unauthenticated(reason, remote(exchange), request(exchange));
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders()
                .set(HttpHeaders.WWW_AUTHENTICATE, tokenRefused ? REALM + ", error=\"invalid_token\"" : REALM);
        String message = tokenRefused
                ? "the bearer token is invalid, expired or revoked"
                : "authentication required: send Authorization: Bearer <API key or JWT>";
        return write(response, ErrorCode.UNAUTHORIZED, message);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return write(exchange.getResponse(), ErrorCode.FORBIDDEN, "not authorized");
    }

    private Mono<Void> write(ServerHttpResponse response, ErrorCode code, String message) {
        response.setStatusCode(HttpStatusCode.valueOf(code.httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code.code());
        body.put("message", message);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(mapper.writeValueAsBytes(body))));
    }

    /** The client's address as the audit log shows it (after forwarded headers were applied). */
    public static String remote(ServerWebExchange exchange) {
        InetSocketAddress address = exchange.getRequest().getRemoteAddress();
        return address == null ? "-" : address.getHostString();
    }

    /** {@code METHOD path} of the request, for the audit log. */
    public static String request(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod().name() + " "
                + exchange.getRequest().getPath().value();
    }
}
