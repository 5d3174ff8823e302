package io.sluice.security;

/**
 * Told when an API key stops being valid (revoked, or its principal deleted), right after the key stopped
 * authenticating. Called on the revoking thread; must return quickly and not throw.
 */
@FunctionalInterface
public interface RevocationListener {

    void revoked(KeyIdentity key);
}
