package io.sluice.security;

import java.util.Objects;

/**
 * The resources an ACL covers: a type and a name that is matched literally or as a prefix. The literal name
 * {@value #WILDCARD} covers every resource of the type. Cluster patterns always name {@link
 * ResourceType#CLUSTER_NAME} literally.
 */
public record ResourcePattern(ResourceType type, String name, PatternType patternType) {

    /** As a literal name: every resource of the type. */
    public static final String WILDCARD = "*";

    public ResourcePattern {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(patternType, "patternType");
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new IllegalArgumentException("a resource name is 1-255 characters");
        }
        if (type == ResourceType.CLUSTER
                && (patternType != PatternType.LITERAL || !ResourceType.CLUSTER_NAME.equals(name))) {
            throw new IllegalArgumentException(
                    "the cluster resource is named '" + ResourceType.CLUSTER_NAME + "' (literal)");
        }
    }

    /** The cluster. */
    public static ResourcePattern cluster() {
        return new ResourcePattern(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, PatternType.LITERAL);
    }

    /** Whether this pattern covers the resource {@code type}/{@code resourceName}. */
    public boolean matches(ResourceType resourceType, String resourceName) {
        if (resourceType != type) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> name.equals(WILDCARD) || name.equals(resourceName);
            case PREFIXED -> resourceName.startsWith(name);
        };
    }
}
