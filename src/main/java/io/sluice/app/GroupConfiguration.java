package io.sluice.app;

import io.sluice.common.Clock;
import io.sluice.common.WorkDrivenTask;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.GroupFetchService;
import io.sluice.group.GroupCoordinator;
import io.sluice.group.GroupCoordinatorConfig;
import io.sluice.group.offsets.jdbc.JdbcOffsetStore;
import io.sluice.group.topics.TopicServiceCatalog;
import io.sluice.group.topics.TopicServiceOffsets;
import io.sluice.storage.LogConfig;
import io.sluice.topic.TopicService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consumer groups: the coordinator over the topic service, the partition logs and the H2 offset store (in the same
 * database as the topic registry), its periodic tick on a thread of its own, and the group read service. Topic
 * changes reach the coordinator at once through a topic listener.
 */
@Configuration(proxyBeanMethods = false)
class GroupConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GroupConfiguration.class);

    /** Margin of the read-permit timeout over the longest long-poll, so only truly abandoned permits are reclaimed. */
    private static final long PERMIT_MARGIN_MS = 60_000;

    @Bean
    GroupCoordinator groupCoordinator(
            SluiceProperties properties,
            Clock clock,
            TopicService topics,
            DataSource dataSource,
            LogConfig brokerLogDefaults) {
        ConsumerProperties consumer = properties.getConsumer();
        GroupCoordinatorConfig config = new GroupCoordinatorConfig(
                consumer.getLease().toMillis(),
                consumer.getRebalanceDelay().toMillis(),
                consumer.getAutoCommitInterval().toMillis(),
                consumer.getMaxWait().toMillis() + PERMIT_MARGIN_MS);
        GroupCoordinator coordinator = new GroupCoordinator(
                config,
                clock,
                new TopicServiceCatalog(topics),
                new TopicServiceOffsets(topics),
                // offsets are as durable as records: fsynced when every record is (flush.messages=1)
                new JdbcOffsetStore(dataSource, brokerLogDefaults.flushMessages() == 1));
        topics.addListener(topic -> coordinator.topicsChanged());
        log.info(
                "consumer groups: lease {} ms, rebalance delay {} ms, auto-commit every {} ms",
                config.leaseMs(),
                config.rebalanceDelayMs(),
                config.autoCommitIntervalMs());
        return coordinator;
    }

    /**
     * The groups' tick (leases, delayed rebalances, new partitions), on the shared ticker thread, while any instance is
     * alive: an idle broker's ticker no longer wakes every second for no group.
     */
    @Bean
    WorkDrivenTask groupTick(
            SluiceProperties properties, GroupCoordinator coordinator, ScheduledExecutorService sluiceTicker) {
        long interval = properties.getConsumer().getTickInterval().toMillis();
        WorkDrivenTask tick = new WorkDrivenTask(sluiceTicker, interval, () -> {
            tick(coordinator);
            return coordinator.hasInstances();
        });
        coordinator.whenInstanceCreated(tick::workArrived);
        return tick;
    }

    @Bean
    GroupFetchService groupFetchService(
            GroupCoordinator coordinator,
            FetchService fetch,
            ExecutorService storageExecutor,
            ScheduledExecutorService sluiceTimer,
            Clock clock,
            SluiceProperties properties) {
        return new GroupFetchService(
                coordinator,
                fetch,
                storageExecutor,
                sluiceTimer,
                clock,
                properties.getConsumer().getMaxWait().toMillis());
    }

    private static void tick(GroupCoordinator coordinator) {
        try {
            int expired = coordinator.tick();
            if (expired > 0) {
                log.info("{} consumer instance(s) expired", expired);
            }
        } catch (RuntimeException e) {
            log.warn("consumer group tick failed; it runs again at its next interval", e);
        }
    }
}
