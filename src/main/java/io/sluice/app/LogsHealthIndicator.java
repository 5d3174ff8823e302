package io.sluice.app;

import io.sluice.common.TopicPartition;
import io.sluice.storage.LogManager;
import io.sluice.storage.StorageException;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code logs} in {@code /actuator/health}: DOWN while any partition log is offline (failed to load or hit an I/O
 * error), naming each with its reason; UP with the number of open partition logs otherwise.
 */
@Component
class LogsHealthIndicator extends AbstractHealthIndicator {

    private final LogManager logs;

    LogsHealthIndicator(LogManager logs) {
        super("partition logs health check failed");
        this.logs = logs;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<TopicPartition, StorageException> offline = logs.offlinePartitions();
        Map<String, String> reasons = new TreeMap<>();
        offline.forEach((tp, error) -> reasons.put(tp.toString(), error.getMessage()));
        (offline.isEmpty() ? builder.up() : builder.down())
                .withDetail("open", logs.all().size())
                .withDetail("offline", reasons);
    }
}
