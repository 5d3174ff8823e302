package io.sluice.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.api.http.NettyReadBuffers;
import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.fetch.FetchService;
import io.sluice.metadata.TopicRegistry;
import io.sluice.produce.ProduceService;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogManager;
import io.sluice.topic.TopicMetrics;
import io.sluice.topic.TopicService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker's services, wired over storage and metadata. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    /**
     * One thread for the periodic bookkeeping that is not storage's: the consumer groups' tick and the statistics
     * samples. Sharing it saves an idle server a wake-up a second (each costs a few hundred microseconds on a small
     * VM, BENCHMARKS.md). Neither touches segment files; a tick that expires a member may commit its offsets to H2,
     * which delays a sample by as long, harmless for rates computed over the actual interval.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sluiceTicker() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-ticker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    TopicMetrics topicMetrics(MeterRegistry meterRegistry) {
        return new TopicMetrics(meterRegistry);
    }

    @Bean
    TopicService topicService(
            TopicRegistry registry,
            LogManager logManager,
            LogConfig brokerLogDefaults,
            Clock clock,
            SluiceProperties properties,
            TopicMetrics metrics) {
        TopicService topics = new TopicService(
                registry,
                logManager,
                brokerLogDefaults,
                clock,
                properties.getTopics().getMaxPartitions(),
                metrics);
        topics.start();
        return topics;
    }

    @Bean
    ProduceService produceService(TopicService topics, Clock clock, TopicMetrics metrics) {
        return new ProduceService(topics, clock, metrics);
    }

    @Bean
    FetchService fetchService(
            TopicService topics,
            LogManager logManager,
            ExecutorService storageExecutor,
            DeadlineTimer readDeadlines,
            Clock clock,
            TopicMetrics metrics,
            SluiceProperties properties) {
        FetchService fetch = new FetchService(
                topics,
                storageExecutor,
                readDeadlines,
                clock,
                metrics,
                properties.getFetch().getMaxWait().toMillis(),
                // batch reads are read into the memory Netty sends from: no heap copy, no copy by Netty
                NettyReadBuffers.pooled());
        logManager.addListener(fetch);
        return fetch;
    }
}
