package io.sluice.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.api.http.AdmissionFilter;
import io.sluice.api.http.QuotaFilter;
import io.sluice.common.Clock;
import io.sluice.quota.QuotaManager;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What keeps the server standing under more load than it can serve: per-principal quotas ({@code sluice.quota.*})
 * and the in-flight bounds of the HTTP edge ({@code sluice.http.max-in-flight-*}), both answering 429 with
 * Retry-After, and their metrics.
 */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LimitsConfiguration.class);

    @Bean
    QuotaManager quotaManager(SluiceProperties properties, Clock clock) {
        QuotaProperties quota = properties.getQuota();
        QuotaManager quotas = new QuotaManager(clock, quota.defaults(), quota.overrides(), quota.getBurst());
        if (quotas.enabled()) {
            log.info("quotas on: defaults {}, overrides {}", quota.defaults(), quota.overrides());
        }
        return quotas;
    }

    @Bean
    QuotaFilter quotaFilter(QuotaManager quotaManager, MeterRegistry meters) {
        QuotaFilter filter = new QuotaFilter(quotaManager);
        refusals(meters, "quota", filter, QuotaFilter::refused);
        return filter;
    }

    @Bean
    AdmissionFilter admissionFilter(SluiceProperties properties, MeterRegistry meters) {
        SluiceProperties.Http http = properties.getHttp();
        long produceBytes = http.getMaxInFlightProduceBytes() != null
                ? http.getMaxInFlightProduceBytes().toBytes()
                : Runtime.getRuntime().maxMemory() / 4;
        log.info(
                "in-flight limits: {} produce bytes, {} reads (beyond: 429, Retry-After {})",
                produceBytes,
                http.getMaxInFlightReads(),
                http.getRetryAfter());
        AdmissionFilter filter = new AdmissionFilter(
                produceBytes,
                http.getMaxInFlightReads(),
                http.getMaxRequestSize().toBytes(),
                http.getRetryAfter());
        refusals(meters, "in_flight", filter, AdmissionFilter::refused);
        Gauge.builder("sluice.http.in.flight.produce.bytes", filter, AdmissionFilter::produceBytesInFlight)
                .description("Produce body bytes held by requests in progress")
                .register(meters);
        Gauge.builder("sluice.http.in.flight.reads", filter, AdmissionFilter::readsInFlight)
                .description("Record reads in progress (long-polls and streams included)")
                .register(meters);
        return filter;
    }

    private static <T> void refusals(MeterRegistry meters, String reason, T filter, ToDoubleFunction<T> count) {
        FunctionCounter.builder("sluice.http.refused", filter, count)
                .description("Requests answered 429 by the quota or in-flight limits")
                .tag("reason", reason)
                .register(meters);
    }
}
