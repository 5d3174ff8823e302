package io.sluice.app;

import io.sluice.api.http.AdmissionFilter;
import io.sluice.api.http.QuotaFilter;
import io.sluice.common.Clock;
import io.sluice.quota.QuotaManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What keeps the server standing under more load than it can serve: per-principal quotas ({@code sluice.quota.*})
 * and the in-flight bounds of the HTTP edge ({@code sluice.http.max-in-flight-*}), both answering 429 with
 * Retry-After.
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
    QuotaFilter quotaFilter(QuotaManager quotaManager) {
        return new QuotaFilter(quotaManager);
    }

    @Bean
    AdmissionFilter admissionFilter(SluiceProperties properties) {
        SluiceProperties.Http http = properties.getHttp();
        long produceBytes = http.getMaxInFlightProduceBytes() != null
                ? http.getMaxInFlightProduceBytes().toBytes()
                : Runtime.getRuntime().maxMemory() / 4;
        return new AdmissionFilter(
                produceBytes,
                http.getMaxInFlightReads(),
                http.getMaxRequestSize().toBytes(),
                http.getRetryAfter());
    }
}
