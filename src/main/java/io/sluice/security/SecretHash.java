package io.sluice.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The digest an API key is stored and looked up by: SHA-256 of its UTF-8 bytes, base64url without padding.
 *
 * <p>Why SHA-256 and not bcrypt/scrypt/Argon2: those are slow on purpose to make guessing low-entropy passwords
 * expensive. Issued keys carry 256 random bits, so guessing is hopeless at any hash speed, and a deterministic fast
 * digest lets the key be found by a hash-map lookup on every request (microseconds) instead of a slow comparison
 * against every stored hash. Someone who steals the H2 file learns no usable key (SHA-256 preimage resistance).
 * A configured admin key is human-chosen and so may be weaker: the README asks for a long random one.
 */
public final class SecretHash {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(SecretHash::newDigest);

    private SecretHash() {}

    public static String of(String secret) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        byte[] hash = digest.digest(secret.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
