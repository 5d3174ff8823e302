package io.sluice.security;

import java.util.List;
import java.util.Optional;

/**
 * Where principals and key digests persist (H2 in {@code io.sluice.security.jdbc}). Blocking; called off the event
 * loops. Every method is atomic.
 */
public interface CredentialStore {

    /** Stores a new principal; false if the name exists. */
    boolean createPrincipal(String name, long createdAt);

    /** Deletes the principal and all its keys, returning the keys deleted; empty if there was no such principal. */
    Optional<List<StoredKey>> deletePrincipal(String name);

    /** Every principal with its creation time, by name. */
    List<PrincipalRow> principals();

    /** Stores a key of an existing principal; false if the principal does not exist. */
    boolean addKey(StoredKey key);

    /** Deletes one key of the principal; false if it did not exist. */
    boolean removeKey(String principal, String id);

    /** Every stored key. */
    List<StoredKey> keys();

    /** A stored principal. */
    record PrincipalRow(String name, long createdAt) {}
}
