package io.sluice.app;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.metadata.TopicRegistry;
import io.sluice.metadata.jdbc.JdbcTopicRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded H2 database holding topic metadata, a file at {@code <data-dir>/metadata/sluice.mv.db}. Built here
 * rather than from {@code spring.datasource.url} so the path always follows {@code sluice.data-dir}.
 */
@Configuration(proxyBeanMethods = false)
class MetadataConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MetadataConfiguration.class);

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(SluiceProperties properties) {
        Path file = properties
                .getDataDir()
                .toAbsolutePath()
                .normalize()
                .resolve("metadata")
                .resolve("sluice");
        log.info("topic metadata in H2 database {}.mv.db", file);
        HikariDataSource dataSource = new HikariDataSource();
        // WRITE_DELAY=0: a commit reaches the file (the OS) before it returns, so metadata survives kill -9 like the
        // logs do; H2's default delays the write by up to half a second.
        dataSource.setJdbcUrl("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        dataSource.setUsername("sa");
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(4);
        dataSource.setPoolName("sluice-metadata");
        return dataSource;
    }

    @Bean
    TopicRegistry topicRegistry(DataSource dataSource, SluiceProperties properties) throws IOException {
        TopicRegistry registry = new JdbcTopicRegistry(dataSource).initialize();
        // the registry fsyncs the database file on every change; the file's directory entry needs its own fsync
        Path dir = properties.getDataDir().toAbsolutePath().normalize().resolve("metadata");
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
        return registry;
    }
}
