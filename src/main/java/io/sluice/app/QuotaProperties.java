package io.sluice.app;

import io.sluice.quota.QuotaLimits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Per-principal quotas (sluice.quota.*): defaults for every principal, and overrides by principal name under
 * {@code sluice.quota.principals.<name>.*} (an override's unset rates inherit the defaults). 0 = unlimited, the
 * default: quotas are off until a rate is set.
 */
public class QuotaProperties {

    /** Bytes of produce request bodies each principal may send per second. */
    private DataSize produceBytesPerSecond = DataSize.ofBytes(0);

    /** Bytes of record-read answers (long-polls, group reads, streams) each principal may receive per second. */
    private DataSize readBytesPerSecond = DataSize.ofBytes(0);

    /** API requests each principal may make per second. */
    private long requestsPerSecond;

    /** How much time's worth of each rate may be used at once. */
    private Duration burst = Duration.ofSeconds(1);

    /** Overrides by principal name. */
    private final Map<String, Override> principals = new LinkedHashMap<>();

    QuotaLimits defaults() {
        return new QuotaLimits(produceBytesPerSecond.toBytes(), readBytesPerSecond.toBytes(), requestsPerSecond);
    }

    Map<String, QuotaLimits> overrides() {
        QuotaLimits defaults = defaults();
        Map<String, QuotaLimits> limits = new LinkedHashMap<>();
        principals.forEach((name, override) -> limits.put(name, override.over(defaults)));
        return limits;
    }

    public DataSize getProduceBytesPerSecond() {
        return produceBytesPerSecond;
    }

    public void setProduceBytesPerSecond(DataSize produceBytesPerSecond) {
        this.produceBytesPerSecond = produceBytesPerSecond;
    }

    public DataSize getReadBytesPerSecond() {
        return readBytesPerSecond;
    }

    public void setReadBytesPerSecond(DataSize readBytesPerSecond) {
        this.readBytesPerSecond = readBytesPerSecond;
    }

    public long getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(long requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    public Duration getBurst() {
        return burst;
    }

    public void setBurst(Duration burst) {
        this.burst = burst;
    }

    public Map<String, Override> getPrincipals() {
        return principals;
    }

    /** One principal's rates; null ones inherit the defaults. */
    public static class Override {

        private DataSize produceBytesPerSecond;
        private DataSize readBytesPerSecond;
        private Long requestsPerSecond;

        QuotaLimits over(QuotaLimits defaults) {
            return new QuotaLimits(
                    produceBytesPerSecond != null ? produceBytesPerSecond.toBytes() : defaults.produceBytesPerSecond(),
                    readBytesPerSecond != null ? readBytesPerSecond.toBytes() : defaults.readBytesPerSecond(),
                    requestsPerSecond != null ? requestsPerSecond : defaults.requestsPerSecond());
        }

        public DataSize getProduceBytesPerSecond() {
            return produceBytesPerSecond;
        }

        public void setProduceBytesPerSecond(DataSize produceBytesPerSecond) {
            this.produceBytesPerSecond = produceBytesPerSecond;
        }

        public DataSize getReadBytesPerSecond() {
            return readBytesPerSecond;
        }

        public void setReadBytesPerSecond(DataSize readBytesPerSecond) {
            this.readBytesPerSecond = readBytesPerSecond;
        }

        public Long getRequestsPerSecond() {
            return requestsPerSecond;
        }

        public void setRequestsPerSecond(Long requestsPerSecond) {
            this.requestsPerSecond = requestsPerSecond;
        }
    }
}
