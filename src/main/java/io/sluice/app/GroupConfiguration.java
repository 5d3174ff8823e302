package io.sluice.app;

import io.sluice.common.Clock;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.GroupCoordinatorConfig;
import io.sluice.group.PartitionOffsets;
import io.sluice.group.TopicCatalog;
import io.sluice.group.offsets.jdbc.JdbcOffsetStore;
import io.sluice.storage.TimestampOffset;
import io.sluice.topic.TopicService;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consumer-group coordinator over the broker: topics from the topic service, offsets from the partition logs,
 * committed offsets in the H2 metadata database, and a once-a-second tick for leases, delayed rebalances and new
 * partitions. Used by the WebSocket group subscriptions and the group views ({@code GET /consumers[/{group}]}).
 */
@Configuration(proxyBeanMethods = false)
class GroupConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GroupConfiguration.class);
    private static final long TICK_MS = 1000;

    @Bean
    GroupCoordinator groupCoordinator(TopicService topics, DataSource dataSource, Clock clock) {
        return new GroupCoordinator(
                GroupCoordinatorConfig.defaults(),
                clock,
                catalog(topics),
                offsets(topics),
                new JdbcOffsetStore(dataSource));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService groupTicker(GroupCoordinator coordinator) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-groups");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        coordinator.tick();
                    } catch (RuntimeException e) {
                        log.warn("group tick failed; it runs again in {} ms", TICK_MS, e);
                    }
                },
                TICK_MS,
                TICK_MS,
                TimeUnit.MILLISECONDS);
        return ticker;
    }

    private static TopicCatalog catalog(TopicService topics) {
        return new TopicCatalog() {
            @Override
            public Set<String> topicNames() {
                return new HashSet<>(topics.list());
            }

            @Override
            public OptionalInt partitionCount(String topic) {
                try {
                    return OptionalInt.of(topics.partitionCount(topic));
                } catch (SluiceException e) {
                    return OptionalInt.empty();
                }
            }
        };
    }

    private static PartitionOffsets offsets(TopicService topics) {
        return new PartitionOffsets() {
            @Override
            public long logStartOffset(TopicPartition tp) {
                return topics.log(tp.topic(), tp.partition()).logStartOffset();
            }

            @Override
            public long logEndOffset(TopicPartition tp) {
                return topics.log(tp.topic(), tp.partition()).highWatermark();
            }

            @Override
            public OptionalLong offsetForTimestamp(TopicPartition tp, long timestamp) {
                Optional<TimestampOffset> found =
                        topics.log(tp.topic(), tp.partition()).offsetForTimestamp(timestamp);
                return found.map(f -> OptionalLong.of(f.offset())).orElse(OptionalLong.empty());
            }
        };
    }
}
