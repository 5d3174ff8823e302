package io.sluice.api.security;

import io.sluice.security.live.StreamIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Names the credential behind an authenticated caller, for stream tickets and open-stream tracking: {@code key:<id>}
 * for an API key (revocable, never expires by itself), {@code jwt:<digest>} for a JWT (not revocable here; expires at
 * its {@code exp}), and the carried identity for a stream ticket. The JWT digest (SHA-256 of the token, first 128 bits
 * in hex) names one token without keeping it. Stateless.
 */
public final class StreamIdentities {

    /** Prefix of the credential of an API key; the key id follows. */
    public static final String KEY = "key:";

    private StreamIdentities() {}

    /** The identity of an authenticated caller. */
    public static StreamIdentity of(java.security.Principal caller) {
        if (caller instanceof StreamTicketAuthentication ticket) {
            return ticket.identity();
        }
        if (caller instanceof ApiKeyAuthentication key) {
            return new StreamIdentity(key.getName(), KEY + key.keyId(), StreamIdentity.NEVER);
        }
        if (caller instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            Instant expiry = jwt.getExpiresAt();
            return new StreamIdentity(
                    token.getName(),
                    "jwt:" + digest(jwt.getTokenValue()),
                    expiry == null ? StreamIdentity.NEVER : expiry.toEpochMilli());
        }
        // Another authentication mechanism: still a principal, with a credential nothing can revoke.
        return new StreamIdentity(caller.getName(), "other:" + caller.getName(), StreamIdentity.NEVER);
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
