package io.sluice.common.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

/**
 * Runs JDBC work in one transaction: commit on success, rollback on any failure, connection closed either way. A
 * {@link SQLException} becomes the caller's unchecked exception. Shared by the JDBC adapters; thread-safe (holds no
 * connection between calls).
 */
public final class Transactions {

    /** Where connections come from ({@code dataSource::getConnection}). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /** Work on an open connection inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connections connections;
    private final Function<SQLException, RuntimeException> failure;

    public Transactions(Connections connections, Function<SQLException, RuntimeException> failure) {
        this.connections = connections;
        this.failure = failure;
    }

    /** Runs each DDL statement (idempotent ones: {@code CREATE ... IF NOT EXISTS}) in one transaction. */
    public void ddl(String... statements) {
        run(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : statements) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
    }

    /**
     * Like {@link #run}, for a change that is acknowledged to someone: committed, then forced to the disk (H2's
     * {@code CHECKPOINT SYNC}) before this returns, so a power cut after the acknowledgement cannot lose it.
     */
    public <T> T durably(Work<T> work) {
        return run(connection -> {
            T result = work.run(connection);
            connection.commit();
            try (Statement sync = connection.createStatement()) {
                sync.execute("CHECKPOINT SYNC");
            }
            return result;
        });
    }

    public <T> T run(Work<T> work) {
        try (Connection connection = connections.open()) {
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
            throw failure.apply(e);
        }
    }
}
