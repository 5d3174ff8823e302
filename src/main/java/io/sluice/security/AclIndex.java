package io.sluice.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, query-optimised view of a set of ACL bindings. Per principal (and for {@value Principal#ANY}) and per
 * resource type it holds: a hash map from literal name to an allow/deny operation mask, the masks of the literal
 * {@value ResourcePattern#WILDCARD}, and the prefixed patterns as parallel arrays. A lookup is two hash gets, a
 * third per type, and a scan of that principal's prefixes: no allocation, no lock. Rebuilt whole on every ACL change
 * (changes are rare; reads are per request).
 */
final class AclIndex {

    static final AclIndex EMPTY = new AclIndex(List.of());

    /** Allow mask in the low 16 bits, deny mask in the high 16 bits. */
    private final Map<String, TypeRules[]> byPrincipal;

    AclIndex(Collection<AclBinding> bindings) {
        Map<String, TypeRules.Builder[]> builders = new HashMap<>();
        for (AclBinding binding : bindings) {
            TypeRules.Builder[] perType = builders.computeIfAbsent(
                    binding.principal(), p -> new TypeRules.Builder[ResourceType.values().length]);
            int type = binding.pattern().type().ordinal();
            if (perType[type] == null) {
                perType[type] = new TypeRules.Builder();
            }
            perType[type].add(binding);
        }
        Map<String, TypeRules[]> built = new HashMap<>();
        builders.forEach((principal, perType) -> {
            TypeRules[] rules = new TypeRules[perType.length];
            for (int i = 0; i < perType.length; i++) {
                rules[i] = perType[i] == null ? null : perType[i].build();
            }
            built.put(principal, rules);
        });
        this.byPrincipal = built;
    }

    /**
     * The combined masks of every binding for {@code principal} (and for everyone) that covers the resource: allow
     * bits in the low 16 bits, deny bits in the high 16.
     */
    int masks(String principal, ResourceType type, String name) {
        return masksOf(byPrincipal.get(principal), type, name) | masksOf(byPrincipal.get(Principal.ANY), type, name);
    }

    private static int masksOf(TypeRules[] perType, ResourceType type, String name) {
        if (perType == null) {
            return 0;
        }
        TypeRules rules = perType[type.ordinal()];
        return rules == null ? 0 : rules.masks(name);
    }

    /** The rules of one principal for one resource type. */
    private record TypeRules(Map<String, Integer> literal, int wildcard, String[] prefixes, int[] prefixMasks) {

        int masks(String name) {
            int masks = wildcard;
            Integer exact = literal.get(name);
            if (exact != null) {
                masks |= exact;
            }
            for (int i = 0; i < prefixes.length; i++) {
                if (name.startsWith(prefixes[i])) {
                    masks |= prefixMasks[i];
                }
            }
            return masks;
        }

        static final class Builder {
            private final Map<String, Integer> literal = new HashMap<>();
            private final Map<String, Integer> prefixed = new HashMap<>();
            private int wildcard;

            void add(AclBinding binding) {
                int bit = binding.operation().bit() << (binding.permission() == Permission.DENY ? 16 : 0);
                ResourcePattern pattern = binding.pattern();
                if (pattern.patternType() == PatternType.PREFIXED) {
                    prefixed.merge(pattern.name(), bit, (a, b) -> a | b);
                } else if (pattern.name().equals(ResourcePattern.WILDCARD)) {
                    wildcard |= bit;
                } else {
                    literal.merge(pattern.name(), bit, (a, b) -> a | b);
                }
            }

            TypeRules build() {
                List<String> names = new ArrayList<>(prefixed.keySet());
                String[] prefixes = names.toArray(String[]::new);
                int[] masks = new int[prefixes.length];
                for (int i = 0; i < prefixes.length; i++) {
                    masks[i] = prefixed.get(prefixes[i]);
                }
                return new TypeRules(Map.copyOf(literal), wildcard, prefixes, masks);
            }
        }
    }
}
