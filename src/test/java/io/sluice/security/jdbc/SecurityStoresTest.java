package io.sluice.security.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.ManualClock;
import io.sluice.common.SluiceException;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.Acls;
import io.sluice.security.Credentials;
import io.sluice.security.IssuedKey;
import io.sluice.security.KeyIdentity;
import io.sluice.security.Operation;
import io.sluice.security.PatternType;
import io.sluice.security.Permission;
import io.sluice.security.Principal;
import io.sluice.security.ResourcePattern;
import io.sluice.security.ResourceType;
import io.sluice.security.SecretHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials and ACLs over the real H2 stores: persistence across restarts, hashing, revocation. */
class SecurityStoresTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    private JdbcDataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("meta").toAbsolutePath());
        return dataSource;
    }

    private Credentials credentials(Optional<String> adminKey) {
        return new Credentials(new JdbcCredentialStore(dataSource()).initialize(), clock, "admin", adminKey);
    }

    @Test
    void issuedKeyAuthenticatesItsPrincipalAndSurvivesARestart() {
        Credentials credentials = credentials(Optional.empty());
        credentials.createPrincipal("alice");
        IssuedKey key = credentials.issueKey("alice");

        assertThat(key.key()).startsWith("sluice_").hasSize("sluice_".length() + 43);
        assertThat(credentials.authenticate(key.key())).contains(new KeyIdentity(new Principal("alice"), key.id()));
        assertThat(credentials(Optional.empty()).authenticate(key.key()))
                .contains(new KeyIdentity(new Principal("alice"), key.id()));
        assertThat(credentials.authenticate(key.key() + "x")).isEmpty();
        assertThat(credentials.authenticate("")).isEmpty();
    }

    @Test
    void theDatabaseHoldsOnlyTheDigestOfAKey() throws Exception {
        Credentials credentials = credentials(Optional.empty());
        credentials.createPrincipal("alice");
        IssuedKey key = credentials.issueKey("alice");

        try (Connection connection = dataSource().getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT key_hash FROM sluice_api_key")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(SecretHash.of(key.key())).isNotEqualTo(key.key());
        }
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("%s holds no secret", file)
                        .doesNotContain(key.key().substring("sluice_".length()));
            }
        }
    }

    @Test
    void revocationStopsTheKeyAtOnceAndTellsListeners() {
        Credentials credentials = credentials(Optional.empty());
        List<KeyIdentity> revoked = new ArrayList<>();
        credentials.onRevocation(revoked::add);
        credentials.createPrincipal("alice");
        IssuedKey first = credentials.issueKey("alice");
        IssuedKey second = credentials.issueKey("alice");

        credentials.revokeKey("alice", first.id());

        assertThat(credentials.authenticate(first.key())).isEmpty();
        assertThat(credentials.authenticate(second.key())).isPresent();
        assertThat(revoked).containsExactly(new KeyIdentity(new Principal("alice"), first.id()));
        assertThat(credentials(Optional.empty()).authenticate(first.key())).isEmpty();
        assertThatThrownBy(() -> credentials.revokeKey("alice", first.id()))
                .isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.API_KEY_NOT_FOUND);
    }

    @Test
    void deletingAPrincipalRevokesAllItsKeys() {
        Credentials credentials = credentials(Optional.empty());
        List<KeyIdentity> revoked = new ArrayList<>();
        credentials.onRevocation(revoked::add);
        credentials.createPrincipal("alice");
        IssuedKey a = credentials.issueKey("alice");
        IssuedKey b = credentials.issueKey("alice");

        credentials.deletePrincipal("alice");

        assertThat(credentials.authenticate(a.key())).isEmpty();
        assertThat(credentials.authenticate(b.key())).isEmpty();
        assertThat(revoked).hasSize(2);
        assertThat(credentials.principals()).isEmpty();
    }

    @Test
    void principalsAreUniqueAndTheAdminNameIsReserved() {
        Credentials credentials = credentials(Optional.of("bootstrap-secret-bootstrap-secret"));
        credentials.createPrincipal("alice");

        assertThatThrownBy(() -> credentials.createPrincipal("alice"))
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThatThrownBy(() -> credentials.createPrincipal("admin"))
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThatThrownBy(() -> credentials.issueKey("nobody"))
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.PRINCIPAL_NOT_FOUND);
        assertThat(credentials.authenticate("bootstrap-secret-bootstrap-secret"))
                .map(KeyIdentity::principal)
                .contains(new Principal("admin"));
        assertThat(credentials.principals()).extracting(p -> p.name()).containsExactly("alice");
    }

    @Test
    void aclsPersistAndDrivetheAuthorizer() {
        AclBinding read = new AclBinding(
                "alice",
                new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.PREFIXED),
                Operation.READ,
                Permission.ALLOW);
        AclBinding deny = new AclBinding(
                "alice",
                new ResourcePattern(ResourceType.TOPIC, "orders.secret", PatternType.LITERAL),
                Operation.READ,
                Permission.DENY);
        Acls acls = new Acls(new JdbcAclStore(dataSource()).initialize(), new AclAuthorizer(Set.of()));
        acls.add(List.of(read, deny));
        acls.add(List.of(read));

        Acls reopened = new Acls(new JdbcAclStore(dataSource()).initialize(), new AclAuthorizer(Set.of()));
        assertThat(reopened.list(AclFilter.ANY)).containsExactly(read, deny);
        Principal alice = new Principal("alice");
        assertThat(reopened.authorizer().allowed(alice, Operation.READ, ResourceType.TOPIC, "orders.eu"))
                .isTrue();
        assertThat(reopened.authorizer().allowed(alice, Operation.READ, ResourceType.TOPIC, "orders.secret"))
                .isFalse();

        AclFilter denies = new AclFilter(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(Permission.DENY));
        assertThat(reopened.delete(denies)).containsExactly(deny);
        assertThat(reopened.authorizer().allowed(alice, Operation.READ, ResourceType.TOPIC, "orders.secret"))
                .isTrue();
        assertThat(new Acls(new JdbcAclStore(dataSource()).initialize(), new AclAuthorizer(Set.of()))
                        .list(AclFilter.ANY))
                .containsExactly(read);
    }
}
