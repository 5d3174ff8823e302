package io.sluice.security.jdbc;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.jdbc.Transactions;
import io.sluice.security.AclBinding;
import io.sluice.security.AclStore;
import io.sluice.security.Operation;
import io.sluice.security.PatternType;
import io.sluice.security.Permission;
import io.sluice.security.ResourcePattern;
import io.sluice.security.ResourceType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link AclStore} over JDBC (H2): table {@code sluice_acl(seq, principal, resource_type, resource_name,
 * pattern_type, operation, permission)}, one row per binding, unique over every column but {@code seq} (which keeps
 * insertion order). Enum columns hold the enum names. Thread-safe (pooled connections, no state).
 */
public final class JdbcAclStore implements AclStore {

    private final Transactions tx;

    public JdbcAclStore(DataSource dataSource) {
        this.tx = new Transactions(
                dataSource::getConnection,
                e -> new SluiceException(ErrorCode.STORAGE_ERROR, "security store: " + e.getMessage(), e));
    }

    public JdbcAclStore initialize() {
        tx.ddl("CREATE TABLE IF NOT EXISTS sluice_acl (seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " principal VARCHAR(255) NOT NULL, resource_type VARCHAR(16) NOT NULL,"
                + " resource_name VARCHAR(255) NOT NULL, pattern_type VARCHAR(16) NOT NULL,"
                + " operation VARCHAR(16) NOT NULL, permission VARCHAR(8) NOT NULL,"
                + " UNIQUE (principal, resource_type, resource_name, pattern_type, operation, permission))");
        return this;
    }

    @Override
    public List<AclBinding> loadAll() {
        return tx.run(connection -> {
            List<AclBinding> bindings = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                            "SELECT principal, resource_type, resource_name, pattern_type, operation, permission"
                                    + " FROM sluice_acl ORDER BY seq");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    bindings.add(new AclBinding(
                            rows.getString(1),
                            new ResourcePattern(
                                    ResourceType.valueOf(rows.getString(2)),
                                    rows.getString(3),
                                    PatternType.valueOf(rows.getString(4))),
                            Operation.valueOf(rows.getString(5)),
                            Permission.valueOf(rows.getString(6))));
                }
            }
            return bindings;
        });
    }

    @Override
    public void addAll(Collection<AclBinding> bindings) {
        tx.durably(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("MERGE INTO sluice_acl (principal,"
                    + " resource_type, resource_name, pattern_type, operation, permission)"
                    + " KEY (principal, resource_type, resource_name, pattern_type, operation, permission)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                for (AclBinding binding : bindings) {
                    bind(insert, binding);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void removeAll(Collection<AclBinding> bindings) {
        tx.durably(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sluice_acl WHERE principal = ?"
                    + " AND resource_type = ? AND resource_name = ? AND pattern_type = ? AND operation = ?"
                    + " AND permission = ?")) {
                for (AclBinding binding : bindings) {
                    bind(delete, binding);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement statement, AclBinding binding) throws java.sql.SQLException {
        statement.setString(1, binding.principal());
        statement.setString(2, binding.pattern().type().name());
        statement.setString(3, binding.pattern().name());
        statement.setString(4, binding.pattern().patternType().name());
        statement.setString(5, binding.operation().name());
        statement.setString(6, binding.permission().name());
    }
}
