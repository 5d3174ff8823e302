package io.sluice.metadata.jdbc;

import io.sluice.common.jdbc.Transactions;
import io.sluice.metadata.MetadataStoreException;
import io.sluice.metadata.TopicMetadata;
import io.sluice.metadata.TopicRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link TopicRegistry} over plain JDBC (H2 in practice). Two tables: {@code sluice_topic(name, partitions,
 * created_at)} and {@code sluice_topic_config(topic, config_key, config_value)}; the schema is created idempotently
 * by {@link #initialize()}. Each method runs in its own transaction, so a crash leaves either the old or the new
 * state. A change returns only after H2 wrote it and fsynced the database file ({@code CHECKPOINT SYNC}): H2's
 * commit alone reaches the OS, not the disk, and a topic lost to a power cut would hide its acknowledged records.
 * Thread-safe (connections come from the pool, nothing is cached here).
 */
public final class JdbcTopicRegistry implements TopicRegistry {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS sluice_topic (name VARCHAR(249) PRIMARY KEY, partitions INT NOT NULL,"
                + " created_at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sluice_topic_config (topic VARCHAR(249) NOT NULL, config_key VARCHAR(255) NOT NULL,"
                + " config_value VARCHAR(4096) NOT NULL, PRIMARY KEY (topic, config_key))"
    };

    private final Transactions tx;

    public JdbcTopicRegistry(DataSource dataSource) {
        this.tx = new Transactions(
                dataSource::getConnection, e -> new MetadataStoreException("topic registry: " + e.getMessage(), e));
    }

    /** Creates the tables if they are missing; safe to call on every start. */
    public JdbcTopicRegistry initialize() {
        tx.durably(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
        return this;
    }

    @Override
    public boolean create(TopicMetadata topic) {
        return tx.durably(connection -> {
            if (exists(connection, topic.name())) {
                return false;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sluice_topic (name, partitions, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, topic.name());
                insert.setInt(2, topic.partitions());
                insert.setLong(3, topic.createdAt());
                insert.executeUpdate();
            }
            insertConfigs(connection, topic);
            return true;
        });
    }

    @Override
    public Optional<TopicMetadata> find(String name) {
        return tx.run(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT name, partitions, created_at FROM sluice_topic WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new TopicMetadata(
                            rows.getString(1), rows.getInt(2), configsOf(connection, name), rows.getLong(3)));
                }
            }
        });
    }

    @Override
    public List<TopicMetadata> list() {
        return tx.run(connection -> {
            List<TopicMetadata> topics = new ArrayList<>();
            try (Statement query = connection.createStatement();
                    ResultSet rows =
                            query.executeQuery("SELECT name, partitions, created_at FROM sluice_topic ORDER BY name")) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    topics.add(new TopicMetadata(name, rows.getInt(2), configsOf(connection, name), rows.getLong(3)));
                }
            }
            return topics;
        });
    }

    @Override
    public boolean update(TopicMetadata topic) {
        return tx.durably(connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE sluice_topic SET partitions = ? WHERE name = ?")) {
                update.setInt(1, topic.partitions());
                update.setString(2, topic.name());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            deleteConfigs(connection, topic.name());
            insertConfigs(connection, topic);
            return true;
        });
    }

    @Override
    public boolean delete(String name) {
        return tx.durably(connection -> {
            deleteConfigs(connection, name);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sluice_topic WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM sluice_topic WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Map<String, String> configsOf(Connection connection, String topic) throws SQLException {
        Map<String, String> configs = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT config_key, config_value FROM sluice_topic_config WHERE topic = ?")) {
            query.setString(1, topic);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    configs.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return configs;
    }

    private static void insertConfigs(Connection connection, TopicMetadata topic) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sluice_topic_config (topic, config_key, config_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> config : topic.configs().entrySet()) {
                insert.setString(1, topic.name());
                insert.setString(2, config.getKey());
                insert.setString(3, config.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void deleteConfigs(Connection connection, String topic) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM sluice_topic_config WHERE topic = ?")) {
            delete.setString(1, topic);
            delete.executeUpdate();
        }
    }
}
