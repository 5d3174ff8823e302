package io.sluice.security.jdbc;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Runs JDBC work in one transaction (commit on success, rollback on any failure) for the security stores. */
final class Transactions {

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs each DDL statement (idempotent ones: {@code CREATE ... IF NOT EXISTS}). */
    void ddl(String... statements) {
        run(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : statements) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
    }

    <T> T run(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "security store: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
