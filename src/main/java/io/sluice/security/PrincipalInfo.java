package io.sluice.security;

import java.util.List;

/** A principal as listed: its name, when it was made, and the ids (never secrets) of its live keys. */
public record PrincipalInfo(String name, long createdAt, List<KeyInfo> keys) {

    /** A live key: id and creation time. */
    public record KeyInfo(String id, long createdAt) {}
}
