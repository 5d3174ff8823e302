package io.sluice.security.live;

import java.util.Objects;

/**
 * Who a live stream (or the ticket that opens one) belongs to: the principal's name, the credential it authenticated
 * with and when that credential itself expires.
 *
 * <p>{@code credential} is an opaque identifier chosen by the authentication layer (for example {@code key:<id>} for
 * an API key, {@code jwt:<jti>} for a token). A ticket carries it so that whoever redeems the ticket can check that
 * the credential is still valid (not revoked); open streams are registered under it, so revoking the credential ends
 * them. {@code credentialExpiresAt} is epoch millis, {@link #NEVER} for credentials without an expiry (API keys); a
 * ticket never outlives it, and streams opened with it end when it passes.
 */
public record StreamIdentity(String principal, String credential, long credentialExpiresAt) {

    /** {@code credentialExpiresAt} of a credential that does not expire by itself. */
    public static final long NEVER = Long.MAX_VALUE;

    /** Longest principal or credential text a ticket carries (UTF-8 bytes); longer ones are refused at issue. */
    public static final int MAX_FIELD_BYTES = 1024;

    public StreamIdentity {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(credential, "credential");
    }
}
