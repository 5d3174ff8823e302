package io.sluice.app;

import io.sluice.api.http.Access;
import io.sluice.api.http.AdmissionFilter;
import io.sluice.api.http.ApiErrorHandler;
import io.sluice.api.http.ConsumerApi;
import io.sluice.api.http.DirectProduce;
import io.sluice.api.http.DirectReads;
import io.sluice.api.http.HttpApi;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.GroupFetchService;
import io.sluice.group.GroupCoordinator;
import io.sluice.produce.ProduceService;
import io.sluice.quota.QuotaManager;
import io.sluice.topic.TopicService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP edge: routes, the JSON mapper of the API (snake_case names) and the one error handler. */
@Configuration(proxyBeanMethods = false)
class HttpConfiguration {

    /** Not a bean: Boot's own mapper (used by the actuator) must keep its settings. */
    static final JsonMapper API_JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    @Bean
    HttpApi httpApi(
            TopicService topics,
            ProduceService produce,
            FetchService fetch,
            Scheduler storageScheduler,
            SluiceProperties properties,
            Access access) {
        return new HttpApi(topics, produce, fetch, API_JSON, storageScheduler, settings(properties), access);
    }

    static HttpApi.Settings settings(SluiceProperties properties) {
        SluiceProperties.Fetch reads = properties.getFetch();
        return new HttpApi.Settings(
                (int) properties.getHttp().getMaxRequestSize().toBytes(),
                properties.getHttp().getBodyTimeout(),
                properties.getTopics().getDefaultPartitions(),
                reads.getDefaultWait(),
                (int) reads.getDefaultMaxBytes().toBytes(),
                reads.getMaxRecords());
    }

    // After the live routes (their follow=true read must win over the plain read), before the dashboard's files.
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    RouterFunction<ServerResponse> sluiceRoutes(HttpApi httpApi) {
        return httpApi.routes();
    }

    @Bean
    ConsumerApi consumerApi(
            GroupCoordinator groups,
            GroupFetchService reads,
            TopicService topics,
            Scheduler storageScheduler,
            SluiceProperties properties,
            Access access) {
        return new ConsumerApi(groups, reads, topics, API_JSON, storageScheduler, settings(properties), access);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    RouterFunction<ServerResponse> consumerRoutes(ConsumerApi consumerApi) {
        return consumerApi.routes();
    }

    /**
     * The plain record reads and JSON produce requests served as Reactor Netty routes ahead of Spring's HTTP stack
     * ({@link DirectReads}, {@link DirectProduce}), only where no filter of the full path applies to them: security
     * off (no authentication, ACLs, tickets), no quotas, no CORS origins. Elsewhere every request takes the full path.
     */
    @Bean
    NettyRouteProvider directReads(
            HttpApi httpApi,
            ConsumerApi consumerApi,
            AdmissionFilter admission,
            ApiErrorHandler errors,
            Access access,
            QuotaManager quotas,
            LiveProperties live,
            ObjectProvider<HttpHandler> springHandler) {
        if (access.isEnforcing()
                || quotas.enabled()
                || !live.getCors().getAllowedOrigins().isEmpty()) {
            return routes -> routes;
        }
        // Spring's handler as the web server runs it, resolved at the first request (it is built after this bean)
        SingletonSupplier<ReactorHttpHandlerAdapter> full =
                SingletonSupplier.of(() -> new ReactorHttpHandlerAdapter(springHandler.getObject()));
        DirectReads reads = new DirectReads(
                httpApi,
                consumerApi,
                admission,
                errors,
                (request, response) -> full.obtain().apply(request, response));
        DirectProduce produce = new DirectProduce(
                httpApi, admission, errors, (request, response) -> full.obtain().apply(request, response));
        return routes -> routes.route(reads::mayServe, reads::handle).route(produce::mayServe, produce::handle);
    }

    @Bean
    ApiErrorHandler apiErrorHandler() {
        return new ApiErrorHandler(API_JSON);
    }
}
