package io.sluice.api.security;

import io.sluice.security.Credentials;
import java.util.Optional;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Authenticates {@code Authorization: Bearer <token>}: a token shaped like a JWS (three base64url parts joined by two
 * dots) goes to the JWT manager, anything else is looked up as an API key. API keys never contain a dot, so the two
 * cannot be confused. Without JWT configuration a JWT is refused like an unknown key. Key lookups are in-memory:
 * nothing here blocks.
 */
public final class BearerAuthenticationManager implements ReactiveAuthenticationManager {

    private final Credentials credentials;
    private final Optional<ReactiveAuthenticationManager> jwt;

    public BearerAuthenticationManager(Credentials credentials, Optional<ReactiveAuthenticationManager> jwt) {
        this.credentials = credentials;
        this.jwt = jwt;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return Mono.empty();
        }
        String token = bearer.getToken();
        if (looksLikeJwt(token)) {
            return jwt.map(manager -> manager.authenticate(bearer))
                    .orElseGet(() -> Mono.error(new InvalidBearerTokenException("JWTs are not accepted here")));
        }
        return credentials
                .authenticate(token)
                .<Mono<Authentication>>map(key -> Mono.just(new ApiKeyAuthentication(key)))
                .orElseGet(() -> Mono.error(new InvalidBearerTokenException("unknown or revoked API key")));
    }

    /** Whether the token has the compact JWS shape: two dots, non-empty parts. */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && second < token.length() - 1 && token.indexOf('.', second + 1) < 0;
    }
}
