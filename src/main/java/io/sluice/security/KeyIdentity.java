package io.sluice.security;

/** Who a presented API key belongs to, and which of their keys it is (revocation closes what that key opened). */
public record KeyIdentity(Principal principal, String keyId) {}
