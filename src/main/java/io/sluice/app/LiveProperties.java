package io.sluice.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the browser-facing streams: {@code sluice.ws.*} (WebSocket), {@code sluice.sse.*} (SSE and NDJSON
 * follow), {@code sluice.stats.*} (the statistics feed) and {@code sluice.cors.*}. Bound from the same {@code sluice}
 * prefix as {@link SluiceProperties}, which ignores these keys. Mutable bean bound once at start.
 */
@ConfigurationProperties("sluice")
public class LiveProperties {

    @NestedConfigurationProperty
    private final Ws ws = new Ws();

    @NestedConfigurationProperty
    private final Sse sse = new Sse();

    @NestedConfigurationProperty
    private final Stats stats = new Stats();

    @NestedConfigurationProperty
    private final Cors cors = new Cors();

    public Ws getWs() {
        return ws;
    }

    public Sse getSse() {
        return sse;
    }

    public Stats getStats() {
        return stats;
    }

    public Cors getCors() {
        return cors;
    }

    public static class Ws {
        /** Subscriptions one WebSocket may hold at once. */
        private int maxSubscriptions = 100;

        /** Control frames (produced, error, ...) that may wait for a slow client before it is closed. */
        private int maxPendingFrames = 256;

        /** How long frames may wait for a client that takes none before it is told so and closed. */
        private Duration slowClientTimeout = Duration.ofSeconds(30);

        /** Most records in one records frame (a subscription may ask for fewer). */
        private int maxBatchRecords = 500;

        /** Soft limit on the bytes one read takes from a partition, and so on one frame. */
        private DataSize maxBatchBytes = DataSize.ofKilobytes(256);

        public int getMaxSubscriptions() {
            return maxSubscriptions;
        }

        public void setMaxSubscriptions(int maxSubscriptions) {
            this.maxSubscriptions = maxSubscriptions;
        }

        public int getMaxPendingFrames() {
            return maxPendingFrames;
        }

        public void setMaxPendingFrames(int maxPendingFrames) {
            this.maxPendingFrames = maxPendingFrames;
        }

        public Duration getSlowClientTimeout() {
            return slowClientTimeout;
        }

        public void setSlowClientTimeout(Duration slowClientTimeout) {
            this.slowClientTimeout = slowClientTimeout;
        }

        public int getMaxBatchRecords() {
            return maxBatchRecords;
        }

        public void setMaxBatchRecords(int maxBatchRecords) {
            this.maxBatchRecords = maxBatchRecords;
        }

        public DataSize getMaxBatchBytes() {
            return maxBatchBytes;
        }

        public void setMaxBatchBytes(DataSize maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
        }
    }

    public static class Sse {
        /** Idle time after which a stream sends a keep-alive (SSE comment, blank NDJSON line). */
        private Duration keepAlive = Duration.ofSeconds(15);

        public Duration getKeepAlive() {
            return keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
        }
    }

    public static class Stats {
        /** How often topic statistics are sampled and pushed to stats subscribers. */
        private Duration interval = Duration.ofSeconds(1);

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    public static class Cors {
        /** Origins allowed to call the API and open /ws from other sites; empty = same origin only. */
        private List<String> allowedOrigins = new ArrayList<>();

        /** Methods allowed cross-origin. */
        private List<String> allowedMethods = new ArrayList<>(List.of("GET", "POST", "PATCH", "DELETE"));

        /** Request headers allowed cross-origin. */
        private List<String> allowedHeaders = new ArrayList<>(List.of("*"));

        /** How long browsers may cache a preflight answer. */
        private Duration maxAge = Duration.ofMinutes(30);

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public List<String> getAllowedMethods() {
            return allowedMethods;
        }

        public void setAllowedMethods(List<String> allowedMethods) {
            this.allowedMethods = allowedMethods;
        }

        public List<String> getAllowedHeaders() {
            return allowedHeaders;
        }

        public void setAllowedHeaders(List<String> allowedHeaders) {
            this.allowedHeaders = allowedHeaders;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }
}
