package io.sluice.group.offsets.jdbc;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupDefinition;
import io.sluice.group.OffsetStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * An {@link OffsetStore} over plain JDBC, written for embedded H2 (uses H2's {@code MERGE INTO ... KEY}).
 *
 * <p>Schema (created idempotently by the constructor): {@code sluice_consumer_group(group_id PK, assignor,
 * created_at)} and {@code sluice_committed_offset(group_id, topic, partition_id, committed_offset, metadata,
 * commit_time, PK(group_id, topic, partition_id))}. A commit of several offsets is one transaction. Errors surface as
 * {@link ErrorCode#STORAGE_ERROR}.
 *
 * <p>Durability: H2's commit reaches the OS (it survives a killed process). With {@code syncCommits} every change is
 * also fsynced ({@code CHECKPOINT SYNC}) before it returns, so it survives a power cut; the server asks for that when
 * records are fsynced too (broker-wide {@code flush.messages=1}), as Kafka keeps offsets in a log under the broker's
 * flush policy.
 *
 * <p>Thread-safe: every call takes its own connection from the {@link DataSource} (pooled by the app).
 */
public final class JdbcOffsetStore implements OffsetStore {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS sluice_consumer_group ("
                + " group_id VARCHAR(1024) PRIMARY KEY, assignor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sluice_committed_offset ("
                + " group_id VARCHAR(1024) NOT NULL, topic VARCHAR(1024) NOT NULL, partition_id INT NOT NULL,"
                + " committed_offset BIGINT NOT NULL, metadata VARCHAR(4096) NOT NULL, commit_time BIGINT NOT NULL,"
                + " PRIMARY KEY (group_id, topic, partition_id))"
    };

    private final DataSource dataSource;
    private final boolean syncCommits;

    /** A store whose changes reach the OS but are not fsynced. */
    public JdbcOffsetStore(DataSource dataSource) {
        this(dataSource, false);
    }

    /** A store that fsyncs every change before returning if syncCommits. */
    public JdbcOffsetStore(DataSource dataSource, boolean syncCommits) {
        this.dataSource = dataSource;
        this.syncCommits = syncCommits;
        run("create schema", c -> {
            try (Statement s = c.createStatement()) {
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            return null;
        });
    }

    @Override
    public void saveGroup(GroupDefinition d) {
        update(
                "save group " + d.group(),
                "MERGE INTO sluice_consumer_group (group_id, assignor, created_at) KEY (group_id) VALUES (?, ?, ?)",
                d.group(),
                d.assignor(),
                d.createdAt());
    }

    @Override
    public Optional<GroupDefinition> group(String group) {
        List<GroupDefinition> found = queryGroups(
                "SELECT group_id, assignor, created_at FROM sluice_consumer_group WHERE group_id = ?", group);
        return found.stream().findFirst();
    }

    @Override
    public List<GroupDefinition> groups() {
        return queryGroups("SELECT group_id, assignor, created_at FROM sluice_consumer_group ORDER BY group_id");
    }

    @Override
    public void deleteGroup(String group) {
        run(
                "delete group " + group,
                c -> inTransaction(c, () -> {
                    execute(c, "DELETE FROM sluice_committed_offset WHERE group_id = ?", group);
                    execute(c, "DELETE FROM sluice_consumer_group WHERE group_id = ?", group);
                }));
    }

    @Override
    public void commit(String group, Map<TopicPartition, CommittedOffset> offsets) {
        run(
                "commit offsets of " + group,
                c -> inTransaction(c, () -> {
                    try (PreparedStatement ps = c.prepareStatement("MERGE INTO sluice_committed_offset"
                            + " (group_id, topic, partition_id, committed_offset, metadata, commit_time)"
                            + " KEY (group_id, topic, partition_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                        for (Map.Entry<TopicPartition, CommittedOffset> e : offsets.entrySet()) {
                            ps.setString(1, group);
                            ps.setString(2, e.getKey().topic());
                            ps.setInt(3, e.getKey().partition());
                            ps.setLong(4, e.getValue().offset());
                            ps.setString(5, e.getValue().metadata());
                            ps.setLong(6, e.getValue().commitTimestamp());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }));
    }

    @Override
    public Map<TopicPartition, CommittedOffset> committed(String group) {
        return run("read offsets of " + group, c -> {
            SortedMap<TopicPartition, CommittedOffset> result = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT topic, partition_id, committed_offset, metadata,"
                    + " commit_time FROM sluice_committed_offset WHERE group_id = ?")) {
                ps.setString(1, group);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.put(
                                new TopicPartition(rs.getString(1), rs.getInt(2)),
                                new CommittedOffset(rs.getLong(3), rs.getString(4), rs.getLong(5)));
                    }
                }
            }
            return result;
        });
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlStep {
        void run() throws SQLException;
    }

    private <T> T run(String what, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new SluiceException(
                    ErrorCode.STORAGE_ERROR, "offset store: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private Void inTransaction(Connection c, SqlStep step) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            step.run();
            c.commit();
            syncIfAsked(c);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return null;
    }

    private void update(String what, String sql, Object... args) {
        run(what, c -> {
            execute(c, sql, args);
            syncIfAsked(c);
            return null;
        });
    }

    /** H2's commit reaches the OS only; CHECKPOINT SYNC writes and fsyncs the database file. */
    private void syncIfAsked(Connection c) throws SQLException {
        if (syncCommits) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private List<GroupDefinition> queryGroups(String sql, Object... args) {
        return run("read groups", c -> {
            List<GroupDefinition> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new GroupDefinition(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return result;
        });
    }
}
