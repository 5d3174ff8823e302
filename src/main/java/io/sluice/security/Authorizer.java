package io.sluice.security;

/**
 * Decides whether a principal may perform an operation on one resource. Implementations are called on the request
 * hot path (Netty event loops): they must not block, lock or touch storage. Thread-safe.
 */
public interface Authorizer {

    /** Allows everything: the authorizer when security is off. */
    Authorizer ALLOW_ALL = (principal, operation, type, name) -> true;

    /** Whether {@code principal} may do {@code operation} on the resource {@code type}/{@code name}. */
    boolean allowed(Principal principal, Operation operation, ResourceType type, String name);

    /** Whether {@code principal} bypasses every check, including the ownership of consumer instances. */
    default boolean isSuperUser(Principal principal) {
        return false;
    }

    /** Whether {@code principal} may do {@code operation} on the cluster. */
    default boolean allowedOnCluster(Principal principal, Operation operation) {
        return allowed(principal, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }
}
