package io.sluice.security;

import java.util.Optional;

/**
 * Selects ACL bindings by any of their fields; an empty field matches everything. Used to list and delete. The
 * resource name matches the binding's pattern name exactly (a filter for {@code orders} does not select a
 * {@code ord} prefix binding).
 */
public record AclFilter(
        Optional<String> principal,
        Optional<ResourceType> type,
        Optional<String> name,
        Optional<PatternType> patternType,
        Optional<Operation> operation,
        Optional<Permission> permission) {

    /** Matches every binding. */
    public static final AclFilter ANY = new AclFilter(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public boolean matches(AclBinding binding) {
        return principal.map(binding.principal()::equals).orElse(true)
                && type.map(t -> t == binding.pattern().type()).orElse(true)
                && name.map(binding.pattern().name()::equals).orElse(true)
                && patternType.map(p -> p == binding.pattern().patternType()).orElse(true)
                && operation.map(o -> o == binding.operation()).orElse(true)
                && permission.map(p -> p == binding.permission()).orElse(true);
    }

    /** Whether no field is set (the filter selects every binding). */
    public boolean isEmpty() {
        return this.equals(ANY);
    }
}
