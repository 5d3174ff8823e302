package io.sluice.topic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.common.ManualClock;
import io.sluice.metadata.jdbc.JdbcTopicRegistry;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogManager;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;

/** Real services over a real log manager and H2 registry in a temp dir, for the fast unit tier. */
public final class ServicesFixture implements AutoCloseable {

    public final ManualClock clock = new ManualClock();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final TopicMetrics metrics = new TopicMetrics(meters);
    public final LogManager logs;
    public final JdbcTopicRegistry registry;
    public final TopicService topics;

    public ServicesFixture(Path dir) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("metadata/sluice").toAbsolutePath());
        registry = new JdbcTopicRegistry(dataSource).initialize();
        logs = LogManager.open(dir.resolve("logs"), LogConfig.defaults(), clock, 1);
        topics = new TopicService(registry, logs, LogConfig.defaults(), clock, 100, metrics);
        topics.start();
    }

    @Override
    public void close() {
        logs.close();
    }
}
