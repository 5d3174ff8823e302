package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AclAuthorizerTest {

    private static final Principal ALICE = new Principal("alice");
    private static final Principal BOB = new Principal("bob");

    private final AclAuthorizer authorizer = new AclAuthorizer(Set.of("root"));

    private static AclBinding acl(
            String principal,
            ResourceType type,
            String name,
            PatternType pattern,
            Operation op,
            Permission permission) {
        return new AclBinding(principal, new ResourcePattern(type, name, pattern), op, permission);
    }

    private static AclBinding allowTopic(String principal, String name, PatternType pattern, Operation op) {
        return acl(principal, ResourceType.TOPIC, name, pattern, op, Permission.ALLOW);
    }

    private boolean topic(Principal principal, Operation op, String name) {
        return authorizer.allowed(principal, op, ResourceType.TOPIC, name);
    }

    @Test
    void noMatchingAclDenies() {
        assertThat(topic(ALICE, Operation.READ, "orders")).isFalse();
        authorizer.replace(List.of(allowTopic("bob", "orders", PatternType.LITERAL, Operation.READ)));
        assertThat(topic(ALICE, Operation.READ, "orders")).isFalse();
        assertThat(topic(BOB, Operation.WRITE, "orders")).isFalse();
    }

    @Test
    void literalAllowGrantsOnlyThatNameAndOperation() {
        authorizer.replace(List.of(allowTopic("alice", "orders", PatternType.LITERAL, Operation.READ)));

        assertThat(topic(ALICE, Operation.READ, "orders")).isTrue();
        assertThat(topic(ALICE, Operation.READ, "orders2")).isFalse();
        assertThat(topic(ALICE, Operation.READ, "order")).isFalse();
        assertThat(topic(ALICE, Operation.WRITE, "orders")).isFalse();
        assertThat(authorizer.allowed(ALICE, Operation.READ, ResourceType.GROUP, "orders"))
                .isFalse();
    }

    @Test
    void prefixedAllowGrantsEveryNameWithThePrefix() {
        authorizer.replace(List.of(allowTopic("alice", "orders.", PatternType.PREFIXED, Operation.WRITE)));

        assertThat(topic(ALICE, Operation.WRITE, "orders.eu")).isTrue();
        assertThat(topic(ALICE, Operation.WRITE, "orders.")).isTrue();
        assertThat(topic(ALICE, Operation.WRITE, "orders")).isFalse();
        assertThat(topic(ALICE, Operation.WRITE, "xorders.eu")).isFalse();
    }

    @Test
    void denyWinsOverAnyAllow() {
        authorizer.replace(List.of(
                allowTopic("alice", "orders", PatternType.PREFIXED, Operation.READ),
                allowTopic("*", "*", PatternType.LITERAL, Operation.READ),
                acl(
                        "alice",
                        ResourceType.TOPIC,
                        "orders.secret",
                        PatternType.LITERAL,
                        Operation.READ,
                        Permission.DENY)));

        assertThat(topic(ALICE, Operation.READ, "orders.public")).isTrue();
        assertThat(topic(ALICE, Operation.READ, "orders.secret")).isFalse();
        assertThat(topic(BOB, Operation.READ, "orders.secret")).isTrue();
    }

    @Test
    void denyForEveryoneAppliesToEachPrincipal() {
        authorizer.replace(List.of(
                allowTopic("alice", "orders", PatternType.LITERAL, Operation.WRITE),
                acl("*", ResourceType.TOPIC, "ord", PatternType.PREFIXED, Operation.WRITE, Permission.DENY)));

        assertThat(topic(ALICE, Operation.WRITE, "orders")).isFalse();
    }

    @Test
    void wildcardPrincipalAndNameMatchEveryone() {
        authorizer.replace(List.of(allowTopic("*", "*", PatternType.LITERAL, Operation.DESCRIBE)));

        assertThat(topic(ALICE, Operation.DESCRIBE, "anything")).isTrue();
        assertThat(topic(BOB, Operation.DESCRIBE, "else")).isTrue();
        assertThat(topic(BOB, Operation.READ, "else")).isFalse();
    }

    @Test
    void readWriteDeleteAndAlterImplyDescribeButCreateDoesNot() {
        for (Operation op : List.of(Operation.READ, Operation.WRITE, Operation.DELETE, Operation.ALTER)) {
            authorizer.replace(List.of(allowTopic("alice", "t", PatternType.LITERAL, op)));
            assertThat(topic(ALICE, Operation.DESCRIBE, "t"))
                    .as("%s implies DESCRIBE", op)
                    .isTrue();
        }
        authorizer.replace(List.of(allowTopic("alice", "t", PatternType.LITERAL, Operation.CREATE)));
        assertThat(topic(ALICE, Operation.DESCRIBE, "t")).isFalse();
    }

    @Test
    void aDeniedOperationImpliesNoDescribeAndAnExplicitDescribeDenyWins() {
        authorizer.replace(List.of(
                allowTopic("alice", "t", PatternType.LITERAL, Operation.READ),
                acl("alice", ResourceType.TOPIC, "t", PatternType.LITERAL, Operation.READ, Permission.DENY)));
        assertThat(topic(ALICE, Operation.DESCRIBE, "t")).isFalse();

        authorizer.replace(List.of(
                allowTopic("alice", "t", PatternType.LITERAL, Operation.WRITE),
                acl("alice", ResourceType.TOPIC, "t", PatternType.LITERAL, Operation.DESCRIBE, Permission.DENY)));
        assertThat(topic(ALICE, Operation.WRITE, "t")).isTrue();
        assertThat(topic(ALICE, Operation.DESCRIBE, "t")).isFalse();
    }

    @Test
    void superUserMayDoEverythingEvenWhenDenied() {
        Principal root = new Principal("root");
        authorizer.replace(
                List.of(acl("*", ResourceType.TOPIC, "*", PatternType.LITERAL, Operation.READ, Permission.DENY)));

        assertThat(topic(root, Operation.READ, "x")).isTrue();
        assertThat(authorizer.allowedOnCluster(root, Operation.ALTER)).isTrue();
        assertThat(authorizer.isSuperUser(root)).isTrue();
        assertThat(authorizer.isSuperUser(ALICE)).isFalse();
    }

    @Test
    void clusterAclsGrantClusterOperations() {
        authorizer.replace(
                List.of(new AclBinding("alice", ResourcePattern.cluster(), Operation.ALTER, Permission.ALLOW)));

        assertThat(authorizer.allowedOnCluster(ALICE, Operation.ALTER)).isTrue();
        assertThat(authorizer.allowedOnCluster(ALICE, Operation.DESCRIBE)).isTrue();
        assertThat(authorizer.allowedOnCluster(ALICE, Operation.CREATE)).isFalse();
        assertThat(authorizer.allowedOnCluster(BOB, Operation.DESCRIBE)).isFalse();
    }

    @Test
    void replacingTheRulesTakesEffectAtOnce() {
        authorizer.replace(List.of(allowTopic("alice", "t", PatternType.LITERAL, Operation.READ)));
        assertThat(topic(ALICE, Operation.READ, "t")).isTrue();
        authorizer.replace(List.of());
        assertThat(topic(ALICE, Operation.READ, "t")).isFalse();
    }

    /** Seeded random rule sets: the index must decide exactly like a plain scan of the bindings. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_999})
    void indexDecidesLikeALinearScan(long seed) {
        Random random = new Random(seed);
        String[] principals = {"alice", "bob", "*"};
        String[] names = {"a", "ab", "abc", "b", "*"};
        List<AclBinding> bindings = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            PatternType pattern = random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED;
            String name = names[random.nextInt(names.length)];
            if (pattern == PatternType.PREFIXED && name.equals("*")) {
                name = "a";
            }
            bindings.add(acl(
                    principals[random.nextInt(principals.length)],
                    random.nextBoolean() ? ResourceType.TOPIC : ResourceType.GROUP,
                    name,
                    pattern,
                    Operation.values()[random.nextInt(Operation.values().length)],
                    random.nextInt(4) == 0 ? Permission.DENY : Permission.ALLOW));
        }
        authorizer.replace(bindings);
        for (String who : List.of("alice", "bob", "carol")) {
            for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP)) {
                for (String name : List.of("a", "ab", "abc", "abd", "b", "c")) {
                    for (Operation op : Operation.values()) {
                        boolean expected = scan(bindings, who, type, name, op);
                        assertThat(authorizer.allowed(new Principal(who), op, type, name))
                                .as("seed %d: %s %s %s:%s", seed, who, op, type, name)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    private static boolean scan(List<AclBinding> bindings, String who, ResourceType type, String name, Operation op) {
        boolean allowDirect = false;
        boolean allowImplying = false;
        Set<Operation> denied = new java.util.HashSet<>();
        for (AclBinding b : bindings) {
            if ((b.principal().equals(who) || b.principal().equals("*"))
                    && b.pattern().matches(type, name)) {
                if (b.permission() == Permission.DENY) {
                    denied.add(b.operation());
                }
            }
        }
        for (AclBinding b : bindings) {
            if ((b.principal().equals(who) || b.principal().equals("*"))
                    && b.pattern().matches(type, name)
                    && b.permission() == Permission.ALLOW) {
                allowDirect |= b.operation() == op;
                allowImplying |= Set.of(Operation.READ, Operation.WRITE, Operation.DELETE, Operation.ALTER)
                                .contains(b.operation())
                        && !denied.contains(b.operation());
            }
        }
        if (denied.contains(op)) {
            return false;
        }
        return allowDirect || (op == Operation.DESCRIBE && allowImplying);
    }
}
