package io.sluice.app;

import io.sluice.api.http.Access;
import io.sluice.api.http.LiveHttpApi;
import io.sluice.api.http.LiveStreamSettings;
import io.sluice.api.http.StaticContent;
import io.sluice.api.http.StreamGuards;
import io.sluice.api.ws.LiveSocketHandler;
import io.sluice.api.ws.WsSettings;
import io.sluice.common.Clock;
import io.sluice.common.SluiceException;
import io.sluice.fetch.FetchService;
import io.sluice.group.GroupCoordinator;
import io.sluice.produce.ProduceRecord;
import io.sluice.produce.ProduceService;
import io.sluice.quota.QuotaManager;
import io.sluice.stats.PartitionSnapshot;
import io.sluice.stats.StatsSampler;
import io.sluice.stats.ThroughputStats;
import io.sluice.stats.TopicSnapshot;
import io.sluice.storage.LogManager;
import io.sluice.stream.AppendSignals;
import io.sluice.stream.BrokerLogAccess;
import io.sluice.stream.LogAccess;
import io.sluice.stream.RecordProducer;
import io.sluice.topic.TopicDescription;
import io.sluice.topic.TopicService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The browser-facing streams: WebSocket at {@code /ws}, SSE and NDJSON follow routes, the statistics sampler and
 * CORS, the group views, and the dashboard's static files (served from memory, see {@link StaticContent}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LiveProperties.class)
class LiveConfiguration {

    static final String WS_PATH = "/ws";

    private static final JsonMapper STREAM_JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    @Bean
    AppendSignals appendSignals(LogManager logManager, TopicService topics, ExecutorService storageExecutor) {
        AppendSignals signals =
                new AppendSignals(tp -> topics.log(tp.topic(), tp.partition()).highWatermark(), storageExecutor);
        logManager.addListener(signals);
        return signals;
    }

    @Bean
    LogAccess streamLogAccess(TopicService topics, FetchService fetch, AppendSignals signals) {
        return new BrokerLogAccess(topics, fetch, signals);
    }

    @Bean
    RecordProducer streamRecordProducer(ProduceService produce) {
        return (topic, records) -> produce
                .produce(
                        topic,
                        OptionalInt.empty(),
                        records.stream().map(LiveConfiguration::toProduceRecord).toList(),
                        Optional.empty())
                .stream()
                .map(offset -> new RecordProducer.Placed(offset.partition(), offset.offset()))
                .toList();
    }

    @Bean
    ThroughputStats throughputStats(TopicService topics, Clock clock) {
        return new ThroughputStats(() -> snapshot(topics), clock);
    }

    @Bean
    StatsSampler statsSampler(ThroughputStats stats, LiveProperties properties, ScheduledExecutorService sluiceTicker) {
        StatsSampler sampler = new StatsSampler(
                stats, sluiceTicker, properties.getStats().getInterval().toMillis());
        sampler.start();
        return sampler;
    }

    @Bean
    LiveStreamSettings liveStreamSettings(LiveProperties properties) {
        return new LiveStreamSettings(
                properties.getSse().getKeepAlive(), properties.getWs().getMaxBatchRecords(), (int)
                        properties.getWs().getMaxBatchBytes().toBytes());
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> liveRoutes(
            LogAccess logs,
            Scheduler storageScheduler,
            LiveStreamSettings settings,
            Access access,
            StreamGuards guards) {
        return new LiveHttpApi(logs, STREAM_JSON, storageScheduler, settings, access, guards).routes();
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10) // after the API's routes: a data request need not test every file's path
    RouterFunction<ServerResponse> dashboardRoutes() throws IOException {
        return new StaticContent(DashboardFiles.load()).routes();
    }

    @Bean
    LiveSocketHandler liveSocketHandler(
            LogAccess logs,
            RecordProducer producer,
            ThroughputStats stats,
            Scheduler storageScheduler,
            Clock clock,
            LiveProperties properties,
            LiveStreamSettings streams,
            GroupCoordinator groups,
            StreamGuards guards,
            QuotaManager quotas) {
        LiveProperties.Ws ws = properties.getWs();
        return new LiveSocketHandler(
                logs,
                producer,
                stats,
                STREAM_JSON,
                storageScheduler,
                Schedulers.parallel(),
                clock,
                new WsSettings(ws.getMaxSubscriptions(), ws.getMaxPendingFrames(), ws.getSlowClientTimeout(), streams),
                groups,
                guards,
                quotas);
    }

    @Bean
    HandlerMapping liveSocketMapping(LiveSocketHandler handler, LiveProperties properties) {
        SimpleUrlHandlerMapping mapping =
                new SimpleUrlHandlerMapping(Map.of(WS_PATH, handler), Ordered.HIGHEST_PRECEDENCE);
        // Browsers send Origin on a WebSocket handshake but apply no CORS to it: the server must check. Same-origin
        // pages (the dashboard, also behind a proxy thanks to the forwarded headers) always pass; other origins only
        // when listed in sluice.cors.allowed-origins.
        CorsConfiguration origins = new CorsConfiguration();
        origins.setAllowedOriginPatterns(properties.getCors().getAllowedOrigins());
        origins.addAllowedMethod("GET");
        mapping.setCorsConfigurations(Map.of(WS_PATH, origins));
        return mapping;
    }

    @Bean
    CorsWebFilter corsWebFilter(LiveProperties properties) {
        LiveProperties.Cors cors = properties.getCors();
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOriginPatterns(cors.getAllowedOrigins());
        config.setAllowedMethods(cors.getAllowedMethods());
        config.setAllowedHeaders(cors.getAllowedHeaders());
        config.addExposedHeader("Location");
        config.setMaxAge(cors.getMaxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!cors.getAllowedOrigins().isEmpty()) {
            source.registerCorsConfiguration("/**", config);
        }
        return new CorsWebFilter(source);
    }

    private static ProduceRecord toProduceRecord(RecordProducer.Outgoing record) {
        return new ProduceRecord(
                record.key(), record.value(), record.partition(), record.headers(), record.timestamp());
    }

    private static List<TopicSnapshot> snapshot(TopicService topics) {
        List<TopicSnapshot> result = new ArrayList<>();
        for (String name : topics.list()) {
            try {
                TopicDescription topic = topics.describe(name);
                result.add(new TopicSnapshot(
                        name,
                        topic.partitions().stream()
                                .map(p -> new PartitionSnapshot(
                                        p.partition(), p.beginningOffset(), p.endOffset(), p.sizeBytes()))
                                .toList()));
            } catch (SluiceException e) {
                // deleted between list and describe: simply absent from this sample
            }
        }
        return result;
    }
}
