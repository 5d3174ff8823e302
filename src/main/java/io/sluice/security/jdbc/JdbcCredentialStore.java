package io.sluice.security.jdbc;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.jdbc.Transactions;
import io.sluice.security.CredentialStore;
import io.sluice.security.StoredKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link CredentialStore} over JDBC (H2). Tables {@code sluice_principal(name, created_at)} and {@code
 * sluice_api_key(id, principal, key_hash, created_at)}; a key row holds only the SHA-256 digest of the secret. The
 * schema is created idempotently by {@link #initialize()}. Thread-safe (pooled connections, no state).
 */
public final class JdbcCredentialStore implements CredentialStore {

    private final Transactions tx;

    public JdbcCredentialStore(DataSource dataSource) {
        this.tx = new Transactions(
                dataSource::getConnection,
                e -> new SluiceException(ErrorCode.STORAGE_ERROR, "security store: " + e.getMessage(), e));
    }

    public JdbcCredentialStore initialize() {
        tx.ddl(
                "CREATE TABLE IF NOT EXISTS sluice_principal (name VARCHAR(255) PRIMARY KEY,"
                        + " created_at BIGINT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS sluice_api_key (id VARCHAR(32) PRIMARY KEY,"
                        + " principal VARCHAR(255) NOT NULL, key_hash VARCHAR(64) NOT NULL UNIQUE,"
                        + " created_at BIGINT NOT NULL)");
        return this;
    }

    @Override
    public boolean createPrincipal(String name, long createdAt) {
        return tx.durably(connection -> {
            if (principalExists(connection, name)) {
                return false;
            }
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO sluice_principal (name, created_at) VALUES (?, ?)")) {
                insert.setString(1, name);
                insert.setLong(2, createdAt);
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<List<StoredKey>> deletePrincipal(String name) {
        return tx.durably(connection -> {
            if (!principalExists(connection, name)) {
                return Optional.empty();
            }
            List<StoredKey> keys = keysOf(connection, name);
            update(connection, "DELETE FROM sluice_api_key WHERE principal = ?", name);
            update(connection, "DELETE FROM sluice_principal WHERE name = ?", name);
            return Optional.of(keys);
        });
    }

    @Override
    public List<PrincipalRow> principals() {
        return tx.run(connection -> {
            List<PrincipalRow> rows = new ArrayList<>();
            try (PreparedStatement query =
                            connection.prepareStatement("SELECT name, created_at FROM sluice_principal ORDER BY name");
                    ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new PrincipalRow(result.getString(1), result.getLong(2)));
                }
            }
            return rows;
        });
    }

    @Override
    public boolean addKey(StoredKey key) {
        return tx.durably(connection -> {
            if (!principalExists(connection, key.principal())) {
                return false;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sluice_api_key (id, principal, key_hash, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, key.id());
                insert.setString(2, key.principal());
                insert.setString(3, key.hash());
                insert.setLong(4, key.createdAt());
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean removeKey(String principal, String id) {
        return tx.durably(connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM sluice_api_key WHERE principal = ? AND id = ?")) {
                delete.setString(1, principal);
                delete.setString(2, id);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<StoredKey> keys() {
        return tx.run(connection -> keysOf(connection, null));
    }

    private static List<StoredKey> keysOf(Connection connection, String principal) throws SQLException {
        String sql = "SELECT id, principal, key_hash, created_at FROM sluice_api_key"
                + (principal == null ? "" : " WHERE principal = ?")
                + " ORDER BY created_at, id";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            if (principal != null) {
                query.setString(1, principal);
            }
            List<StoredKey> keys = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(new StoredKey(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4)));
                }
            }
            return keys;
        }
    }

    private static boolean principalExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM sluice_principal WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void update(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            statement.executeUpdate();
        }
    }
}
