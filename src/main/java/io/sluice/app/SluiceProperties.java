package io.sluice.app;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Every sluice.* setting. Broker-wide log defaults live under sluice.log.* (see {@link
 * LogProperties}); topics override them with Kafka's config names. Mutable bean bound once at start.
 */
@ConfigurationProperties("sluice")
public class SluiceProperties {

    /** Directory holding the segment files and the embedded H2 metadata database. */
    private Path dataDir = Path.of("./data");

    @NestedConfigurationProperty
    private final Http http = new Http();

    @NestedConfigurationProperty
    private final Fetch fetch = new Fetch();

    @NestedConfigurationProperty
    private final Storage storage = new Storage();

    @NestedConfigurationProperty
    private final Topics topics = new Topics();

    @NestedConfigurationProperty
    private final LogProperties log = new LogProperties();

    @NestedConfigurationProperty
    private final Health health = new Health();

    @NestedConfigurationProperty
    private final ConsumerProperties consumer = new ConsumerProperties();

    @NestedConfigurationProperty
    private final QuotaProperties quota = new QuotaProperties();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Http getHttp() {
        return http;
    }

    public Fetch getFetch() {
        return fetch;
    }

    public Storage getStorage() {
        return storage;
    }

    public Topics getTopics() {
        return topics;
    }

    public LogProperties getLog() {
        return log;
    }

    public Health getHealth() {
        return health;
    }

    public ConsumerProperties getConsumer() {
        return consumer;
    }

    public QuotaProperties getQuota() {
        return quota;
    }

    /** Limits of the HTTP edge. */
    public static class Http {

        /** Largest accepted request body (and NDJSON line); larger ones get 413. */
        private DataSize maxRequestSize = DataSize.ofMegabytes(8);

        /**
         * How long a request body may take to arrive (an NDJSON stream: the longest pause between lines); a
         * slower one gets 408 and its connection is freed.
         */
        private Duration bodyTimeout = Duration.ofSeconds(30);

        /**
         * Produce bodies that may be in progress at once, counted by Content-Length (a body without one counts as
         * max-request-size); more get 429 with Retry-After. Unset: a quarter of the JVM's maximum heap.
         */
        private DataSize maxInFlightProduceBytes;

        /** Record reads (parked long-polls, NDJSON follows and SSE streams included) in progress at once; more get 429. */
        private int maxInFlightReads = 20_000;

        /** Retry-After sent with a 429 for the server's in-flight limits. */
        private Duration retryAfter = Duration.ofSeconds(1);

        public DataSize getMaxInFlightProduceBytes() {
            return maxInFlightProduceBytes;
        }

        public void setMaxInFlightProduceBytes(DataSize maxInFlightProduceBytes) {
            this.maxInFlightProduceBytes = maxInFlightProduceBytes;
        }

        public int getMaxInFlightReads() {
            return maxInFlightReads;
        }

        public void setMaxInFlightReads(int maxInFlightReads) {
            this.maxInFlightReads = maxInFlightReads;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        public Duration getBodyTimeout() {
            return bodyTimeout;
        }

        public void setBodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = bodyTimeout;
        }

        public DataSize getMaxRequestSize() {
            return maxRequestSize;
        }

        public void setMaxRequestSize(DataSize maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
        }
    }

    /** Record reads (long-poll). */
    public static class Fetch {

        /** Upper bound for the timeout of a read; longer requested waits are cut to this. */
        private Duration maxWait = Duration.ofSeconds(30);

        /** Wait used when a read gives no timeout. */
        private Duration defaultWait = Duration.ZERO;

        /** max_bytes used when a read gives none. */
        private DataSize defaultMaxBytes = DataSize.ofMegabytes(1);

        /** Largest max_records a read may ask for (also the default); reads are bounded by max_bytes first. */
        private int maxRecords = 50_000;

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public Duration getDefaultWait() {
            return defaultWait;
        }

        public void setDefaultWait(Duration defaultWait) {
            this.defaultWait = defaultWait;
        }

        public DataSize getDefaultMaxBytes() {
            return defaultMaxBytes;
        }

        public void setDefaultMaxBytes(DataSize defaultMaxBytes) {
            this.defaultMaxBytes = defaultMaxBytes;
        }

        public int getMaxRecords() {
            return maxRecords;
        }

        public void setMaxRecords(int maxRecords) {
            this.maxRecords = maxRecords;
        }
    }

    /** The storage engine's threads and housekeeping. */
    public static class Storage {

        /** Threads that run blocking storage calls (appends, reads, fsync) off the network event loops. */
        private int threads = 16;

        /** Storage calls that may wait for a thread before new ones are refused with 429. */
        private int queueSize = 10_000;

        /** Threads that recover partition logs in parallel at start. */
        private int recoveryThreads = 2;

        /** How often segments past retention.ms/retention.bytes are deleted. */
        private Duration retentionCheckInterval = Duration.ofMinutes(5);

        /** How often logs whose flush.ms elapsed are flushed. */
        private Duration flushCheckInterval = Duration.ofSeconds(1);

        /** How often every segment file is checked to still exist (a removed one takes its partition offline). */
        private Duration fileCheckInterval = Duration.ofSeconds(10);

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public int getQueueSize() {
            return queueSize;
        }

        public void setQueueSize(int queueSize) {
            this.queueSize = queueSize;
        }

        public int getRecoveryThreads() {
            return recoveryThreads;
        }

        public void setRecoveryThreads(int recoveryThreads) {
            this.recoveryThreads = recoveryThreads;
        }

        public Duration getRetentionCheckInterval() {
            return retentionCheckInterval;
        }

        public void setRetentionCheckInterval(Duration retentionCheckInterval) {
            this.retentionCheckInterval = retentionCheckInterval;
        }

        public Duration getFlushCheckInterval() {
            return flushCheckInterval;
        }

        public void setFlushCheckInterval(Duration flushCheckInterval) {
            this.flushCheckInterval = flushCheckInterval;
        }

        public Duration getFileCheckInterval() {
            return fileCheckInterval;
        }

        public void setFileCheckInterval(Duration fileCheckInterval) {
            this.fileCheckInterval = fileCheckInterval;
        }
    }

    /** Topic administration. */
    public static class Topics {

        /** Partitions of a topic created without a partition count. */
        private int defaultPartitions = 1;

        /** Most partitions one topic may have. */
        private int maxPartitions = 1000;

        public int getDefaultPartitions() {
            return defaultPartitions;
        }

        public void setDefaultPartitions(int defaultPartitions) {
            this.defaultPartitions = defaultPartitions;
        }

        public int getMaxPartitions() {
            return maxPartitions;
        }

        public void setMaxPartitions(int maxPartitions) {
            this.maxPartitions = maxPartitions;
        }
    }

    /** Health reporting. */
    public static class Health {

        /** The data-dir health indicator reports DOWN below this much free disk space. */
        private DataSize minFreeDisk = DataSize.ofMegabytes(64);

        public DataSize getMinFreeDisk() {
            return minFreeDisk;
        }

        public void setMinFreeDisk(DataSize minFreeDisk) {
            this.minFreeDisk = minFreeDisk;
        }
    }
}
