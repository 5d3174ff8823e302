package io.sluice.api.security;

import io.sluice.security.KeyIdentity;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request authenticated by an API key. {@link #getName()} is the principal; {@link #keyId()} says which key, so
 * whatever the key opened (a WebSocket, an SSE stream) can be closed when that key is revoked. Holds no secret.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final KeyIdentity key;

    public ApiKeyAuthentication(KeyIdentity key) {
        super(List.of());
        this.key = key;
        setAuthenticated(true);
    }

    public KeyIdentity key() {
        return key;
    }

    public String keyId() {
        return key.keyId();
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return key.principal().name();
    }

    @Override
    public String getName() {
        return key.principal().name();
    }
}
