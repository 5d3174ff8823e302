package io.sluice.security;

/** An API key as persisted: never the secret, only its {@link SecretHash} digest. */
public record StoredKey(String id, String principal, String hash, long createdAt) {}
