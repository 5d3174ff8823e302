package io.sluice.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.metadata.TopicMetadata;
import java.nio.file.Path;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcTopicRegistryTest {

    @TempDir
    Path dir;

    private JdbcTopicRegistry open() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("meta").toAbsolutePath());
        return new JdbcTopicRegistry(dataSource).initialize();
    }

    @Test
    void createdTopicIsFoundWithItsConfigs() {
        JdbcTopicRegistry registry = open();
        TopicMetadata topic = new TopicMetadata("orders", 3, Map.of("retention.ms", "1000"), 42L);

        assertThat(registry.create(topic)).isTrue();

        assertThat(registry.find("orders")).contains(topic);
        assertThat(registry.find("missing")).isEmpty();
    }

    @Test
    void creatingAnExistingNameChangesNothing() {
        JdbcTopicRegistry registry = open();
        registry.create(new TopicMetadata("orders", 3, Map.of(), 1L));

        assertThat(registry.create(new TopicMetadata("orders", 5, Map.of("a", "b"), 2L)))
                .isFalse();

        assertThat(registry.find("orders").orElseThrow().partitions()).isEqualTo(3);
    }

    @Test
    void updateReplacesPartitionsAndConfigsButKeepsCreationTime() {
        JdbcTopicRegistry registry = open();
        registry.create(new TopicMetadata("t", 1, Map.of("retention.ms", "5", "segment.ms", "6"), 7L));

        assertThat(registry.update(new TopicMetadata("t", 4, Map.of("retention.bytes", "9"), 99L)))
                .isTrue();

        assertThat(registry.find("t")).contains(new TopicMetadata("t", 4, Map.of("retention.bytes", "9"), 7L));
        assertThat(registry.update(new TopicMetadata("nope", 1, Map.of(), 0L))).isFalse();
    }

    @Test
    void deleteRemovesTheTopicAndTheNameCanBeReused() {
        JdbcTopicRegistry registry = open();
        registry.create(new TopicMetadata("t", 2, Map.of("retention.ms", "5"), 1L));

        assertThat(registry.delete("t")).isTrue();
        assertThat(registry.delete("t")).isFalse();
        assertThat(registry.find("t")).isEmpty();

        assertThat(registry.create(new TopicMetadata("t", 1, Map.of(), 2L))).isTrue();
        assertThat(registry.find("t").orElseThrow().configs()).isEmpty();
    }

    @Test
    void listIsSortedByName() {
        JdbcTopicRegistry registry = open();
        registry.create(new TopicMetadata("b", 1, Map.of(), 1L));
        registry.create(new TopicMetadata("a", 1, Map.of(), 1L));
        registry.create(new TopicMetadata("c.x", 1, Map.of(), 1L));

        assertThat(registry.list()).extracting(TopicMetadata::name).containsExactly("a", "b", "c.x");
    }

    @Test
    void topicsSurviveReopeningTheDatabaseAndSchemaCreationIsIdempotent() {
        open().create(new TopicMetadata("durable", 2, Map.of("max.message.bytes", "100"), 5L));

        JdbcTopicRegistry reopened = open();

        assertThat(reopened.find("durable"))
                .contains(new TopicMetadata("durable", 2, Map.of("max.message.bytes", "100"), 5L));
    }
}
