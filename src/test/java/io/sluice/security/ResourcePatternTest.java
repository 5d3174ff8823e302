package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourcePatternTest {

    @Test
    void clusterPatternMustBeTheLiteralClusterName() {
        assertThat(ResourcePattern.cluster().matches(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME))
                .isTrue();
        assertThatThrownBy(() -> new ResourcePattern(ResourceType.CLUSTER, "other", PatternType.LITERAL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourcePattern(ResourceType.CLUSTER, "sluice", PatternType.PREFIXED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyOrOverlongNamesAreRefused() {
        assertThatThrownBy(() -> new ResourcePattern(ResourceType.TOPIC, "", PatternType.LITERAL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourcePattern(ResourceType.TOPIC, "x".repeat(256), PatternType.LITERAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void principalNamesExcludeTheWildcardAndWhitespace() {
        assertThat(Principal.isValidName("alice@example.com")).isTrue();
        assertThat(Principal.isValidName("*")).isFalse();
        assertThat(Principal.isValidName("a b")).isFalse();
        assertThat(Principal.isValidName("a\nb")).isFalse();
        assertThat(Principal.isValidName("")).isFalse();
        assertThatThrownBy(() -> new AclBinding("a b", ResourcePattern.cluster(), Operation.ALTER, Permission.ALLOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void auditValuesAreQuotedWhenTheyCouldForgeAField() {
        assertThat(AuditLog.quoted("alice")).isEqualTo("alice");
        assertThat(AuditLog.quoted("a b")).isEqualTo("\"a b\"");
        assertThat(AuditLog.quoted("x\" decision=ALLOW")).isEqualTo("\"x\\\" decision=ALLOW\"");
        assertThat(AuditLog.quoted("line\nbreak")).isEqualTo("\"line\\u000abreak\"");
        assertThat(AuditLog.quoted(null)).isEqualTo("-");
    }
}
