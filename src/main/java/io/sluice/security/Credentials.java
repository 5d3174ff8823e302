package io.sluice.security;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Principals and their API keys. A key is {@value #KEY_PREFIX} followed by 256 random bits (base64url); it is shown
 * once and persisted only as its {@link SecretHash}. All live keys sit in memory, keyed by digest, so {@link
 * #authenticate} is one SHA-256 and one hash lookup: no lock, no storage. Revocation removes the digest from memory
 * before it returns, then tells the {@link RevocationListener}s (so open streams can be closed).
 *
 * <p>The bootstrap admin key (configured, not stored) authenticates as a fixed principal name that cannot be created
 * through the API. Thread-safe; the mutating methods block on the store (call them off the event loops).
 */
public final class Credentials {

    /** Every issued key starts with this (easy to spot in a leaked file; tells keys from JWTs at a glance). */
    public static final String KEY_PREFIX = "sluice_";

    private static final String BOOTSTRAP_KEY_ID = "bootstrap";

    private final CredentialStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, KeyIdentity> byHash = new ConcurrentHashMap<>();
    private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();
    private final String reservedName;

    /**
     * @param adminPrincipal the principal the bootstrap key authenticates as: a super-user by name, so reserved
     *     (never created through the API) whether or not a bootstrap key is configured
     * @param adminKey the bootstrap key, if configured
     */
    public Credentials(CredentialStore store, Clock clock, String adminPrincipal, Optional<String> adminKey) {
        this.store = store;
        this.clock = clock;
        this.reservedName = adminPrincipal;
        for (StoredKey key : store.keys()) {
            byHash.put(key.hash(), new KeyIdentity(new Principal(key.principal()), key.id()));
        }
        adminKey.ifPresent(key ->
                byHash.put(SecretHash.of(key), new KeyIdentity(new Principal(adminPrincipal), BOOTSTRAP_KEY_ID)));
    }

    /** The principal and key a presented secret belongs to, if it is a live key. Cheap; never blocks. */
    public Optional<KeyIdentity> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(SecretHash.of(presentedKey)));
    }

    /** Registers a listener told of every revocation from now on. */
    public void onRevocation(RevocationListener listener) {
        listeners.add(listener);
    }

    public PrincipalInfo createPrincipal(String name) {
        if (!Principal.isValidName(name)) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "a principal name is 1-255 printable characters, not '*'");
        }
        if (name.equals(reservedName)) {
            throw new SluiceException(ErrorCode.ALREADY_EXISTS, "principal '" + name + "' is reserved");
        }
        long now = clock.milliseconds();
        if (!store.createPrincipal(name, now)) {
            throw new SluiceException(ErrorCode.ALREADY_EXISTS, "principal '" + name + "' already exists");
        }
        return new PrincipalInfo(name, now, List.of());
    }

    /** Deletes the principal; its keys stop working at once. */
    public void deletePrincipal(String name) {
        List<StoredKey> keys = store.deletePrincipal(name).orElseThrow(() -> principalNotFound(name));
        keys.forEach(this::forget);
    }

    /** Every stored principal with the ids of its keys, by name. */
    public List<PrincipalInfo> principals() {
        Map<String, List<PrincipalInfo.KeyInfo>> keys = new java.util.HashMap<>();
        for (StoredKey key : store.keys()) {
            keys.computeIfAbsent(key.principal(), p -> new ArrayList<>())
                    .add(new PrincipalInfo.KeyInfo(key.id(), key.createdAt()));
        }
        return store.principals().stream()
                .map(row -> new PrincipalInfo(row.name(), row.createdAt(), keys.getOrDefault(row.name(), List.of())))
                .toList();
    }

    /** Issues a new key for an existing principal. The returned secret is never retrievable again. */
    public IssuedKey issueKey(String principal) {
        String secret = KEY_PREFIX + base64Url(32);
        String id = HexFormat.of().formatHex(randomBytes(8));
        long now = clock.milliseconds();
        StoredKey stored = new StoredKey(id, principal, SecretHash.of(secret), now);
        if (!store.addKey(stored)) {
            throw principalNotFound(principal);
        }
        byHash.put(stored.hash(), new KeyIdentity(new Principal(principal), id));
        return new IssuedKey(id, principal, secret, now);
    }

    /** Revokes one key: it fails from the next request on, and listeners are told. */
    public void revokeKey(String principal, String id) {
        StoredKey key = store.keys().stream()
                .filter(k -> k.principal().equals(principal) && k.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new SluiceException(
                        ErrorCode.API_KEY_NOT_FOUND, "principal '" + principal + "' has no key '" + id + "'"));
        if (!store.removeKey(principal, id)) {
            throw new SluiceException(ErrorCode.API_KEY_NOT_FOUND, "key '" + id + "' was revoked already");
        }
        forget(key);
    }

    private void forget(StoredKey key) {
        KeyIdentity identity = byHash.remove(key.hash());
        if (identity != null) {
            listeners.forEach(listener -> listener.revoked(identity));
        }
    }

    private static SluiceException principalNotFound(String name) {
        return new SluiceException(ErrorCode.PRINCIPAL_NOT_FOUND, "principal '" + name + "' not found");
    }

    private String base64Url(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
