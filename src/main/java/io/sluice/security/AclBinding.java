package io.sluice.security;

import java.util.Objects;

/**
 * One access rule: {@code principal} (a name, or {@value Principal#ANY} for everyone authenticated) is allowed or
 * denied {@code operation} on the resources of {@code pattern}. Immutable; equal bindings are the same rule (adding one
 * twice keeps one).
 */
public record AclBinding(String principal, ResourcePattern pattern, Operation operation, Permission permission) {

    public AclBinding {
        if (!Principal.ANY.equals(principal) && !Principal.isValidName(principal)) {
            throw new IllegalArgumentException("an ACL names a principal or '*'");
        }
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
    }
}
