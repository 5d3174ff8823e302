package io.sluice.api.security;

import io.sluice.security.live.StreamIdentity;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A stream request authenticated by a redeemed stream ticket. {@link #getName()} is the principal; {@link #identity()}
 * is the credential the ticket was issued for, so the stream is closed when that credential is revoked or expires.
 * Holds no secret (the ticket is spent).
 */
public final class StreamTicketAuthentication extends AbstractAuthenticationToken {

    private final StreamIdentity identity;

    public StreamTicketAuthentication(StreamIdentity identity) {
        super(List.of());
        this.identity = identity;
        setAuthenticated(true);
    }

    public StreamIdentity identity() {
        return identity;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return identity.principal();
    }

    @Override
    public String getName() {
        return identity.principal();
    }
}
