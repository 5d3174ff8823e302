package io.sluice.security;

/** A freshly issued API key: the only moment its secret exists outside the caller's hands. */
public record IssuedKey(String id, String principal, String key, long createdAt) {

    @Override
    public String toString() {
        return "IssuedKey[id=" + id + ", principal=" + principal + "]"; // never log the secret
    }
}
