package io.sluice.topic;

import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.metadata.TopicMetadata;
import io.sluice.metadata.TopicRegistry;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogManager;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, describes, alters and deletes topics: the registry holds the durable truth, the log manager the files.
 * Administrative calls are serialised (one at a time); lookups on the produce/read path ({@link #log}, {@link
 * #partitionCount}) read an in-memory copy of the registry and never touch the database.
 *
 * <p>Ordering keeps crashes harmless: create writes the registry first, then the logs (a restart recreates missing
 * logs); delete removes the logs first, then the registry entry (a repeated delete finishes the job). Logs left on
 * disk for a topic the registry does not know are removed when a topic of that name is created again, so a reused
 * name always starts empty.
 */
public final class TopicService {

    private static final Logger log = LoggerFactory.getLogger(TopicService.class);

    private final TopicRegistry registry;
    private final LogManager logs;
    private final LogConfig brokerDefaults;
    private final Clock clock;
    private final int maxPartitions;
    private final TopicMetrics metrics;
    private final ConcurrentMap<String, TopicMetadata> topics = new ConcurrentHashMap<>();
    private final List<TopicListener> listeners = new CopyOnWriteArrayList<>();
    /** Creates, alters and deletes so far; written only by the synchronized administrative methods. */
    private volatile long changes;

    public TopicService(
            TopicRegistry registry,
            LogManager logs,
            LogConfig brokerDefaults,
            Clock clock,
            int maxPartitions,
            TopicMetrics metrics) {
        this.registry = registry;
        this.logs = logs;
        this.brokerDefaults = brokerDefaults;
        this.clock = clock;
        this.maxPartitions = maxPartitions;
        this.metrics = metrics;
    }

    /** Loads the registry and makes sure every registered partition has its log. Call once before serving. */
    public synchronized void start() {
        for (TopicMetadata topic : registry.list()) {
            topics.put(topic.name(), topic);
            LogConfig config = logConfig(topic);
            for (int p = 0; p < topic.partitions(); p++) {
                try {
                    openLog(new TopicPartition(topic.name(), p), config);
                } catch (StorageException e) {
                    // one damaged partition must not keep the others from serving; it answers 503 until repaired
                    log.error("partition {}-{} stays offline: {}", topic.name(), p, e.getMessage());
                }
            }
        }
        log.info("{} topics loaded", topics.size());
    }

    /**
     * How many creates, alters and deletes this service has made. It moves once the topic's new state is in place and
     * before the listeners are told: topics read after reading the count are at least as new as it, and a change they
     * may have missed moves it again.
     */
    public long changeCount() {
        return changes;
    }

    /** Registers a listener told after every create, alter and delete. */
    public void addListener(TopicListener listener) {
        listeners.add(listener);
    }

    public synchronized TopicDescription create(
            String name, int partitions, int replicationFactor, Map<String, String> configs) {
        TopicNames.validate(name);
        checkReplicationFactor(replicationFactor);
        checkPartitions(partitions, 1);
        Map<String, String> validated = TopicConfigs.validate(configs);
        TopicMetadata topic = new TopicMetadata(name, partitions, validated, clock.milliseconds());
        if (topics.containsKey(name) || !registry.create(topic)) {
            throw new SluiceException(ErrorCode.ALREADY_EXISTS, "topic '" + name + "' already exists");
        }
        try {
            removeLeftoverLogs(name);
            openLogs(topic, 0);
        } catch (RuntimeException e) {
            // leave no half-created topic behind: the caller may simply retry
            try {
                removeLeftoverLogs(name);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            registry.delete(name);
            throw e;
        }
        topics.put(name, topic);
        log.info("created topic {} with {} partitions, configs {}", name, partitions, validated);
        changed(name);
        return describe(name);
    }

    /** Topic names, sorted. */
    public List<String> list() {
        return topics.keySet().stream().sorted().toList();
    }

    public TopicDescription describe(String name) {
        TopicMetadata topic = metadata(name);
        List<PartitionDescription> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(describe(log(name, p)));
        }
        return new TopicDescription(name, 1, partitions, TopicConfigs.describe(logConfig(topic)), topic.createdAt());
    }

    public PartitionDescription describePartition(String name, int partition) {
        return describe(log(name, partition));
    }

    public synchronized TopicDescription alter(String name, TopicChange change) {
        TopicMetadata current = metadata(name);
        int partitions = change.partitions().orElse(current.partitions());
        checkPartitions(partitions, current.partitions());
        Map<String, String> configs = new HashMap<>(current.configs());
        change.configs()
                .forEach((key, value) -> value.ifPresentOrElse(v -> configs.put(key, v), () -> configs.remove(key)));
        TopicMetadata updated = current.withPartitions(partitions).withConfigs(TopicConfigs.validate(configs));
        registry.update(updated);
        topics.put(name, updated);
        LogConfig config = logConfig(updated);
        for (int p = 0; p < current.partitions(); p++) {
            log(name, p).updateConfig(config);
        }
        openLogs(updated, current.partitions());
        log.info("altered topic {}: {} partitions, configs {}", name, partitions, updated.configs());
        changed(name);
        return describe(name);
    }

    public synchronized void delete(String name) {
        TopicMetadata topic = metadata(name);
        for (int p = 0; p < topic.partitions(); p++) {
            TopicPartition tp = new TopicPartition(name, p);
            metrics.logDeleted(tp);
            logs.delete(tp);
        }
        topics.remove(name);
        registry.delete(name);
        log.info("deleted topic {} ({} partitions)", name, topic.partitions());
        changed(name);
    }

    /** The partition count of a topic, empty if it does not exist (cheap: no database, no files). */
    public OptionalInt findPartitionCount(String name) {
        TopicMetadata topic = topics.get(name);
        return topic == null ? OptionalInt.empty() : OptionalInt.of(topic.partitions());
    }

    /** The partition count of a topic; throws {@link ErrorCode#TOPIC_NOT_FOUND}. */
    public int partitionCount(String name) {
        return metadata(name).partitions();
    }

    /** The log of one partition; throws {@link ErrorCode#TOPIC_NOT_FOUND} or {@link ErrorCode#PARTITION_NOT_FOUND}. */
    public PartitionLog log(String name, int partition) {
        TopicMetadata topic = metadata(name);
        if (partition < 0 || partition >= topic.partitions()) {
            throw new SluiceException(
                    ErrorCode.PARTITION_NOT_FOUND,
                    "partition " + partition + " of topic '" + name + "' not found; the topic has partitions 0.."
                            + (topic.partitions() - 1));
        }
        TopicPartition tp = new TopicPartition(name, partition);
        Optional<PartitionLog> partitionLog;
        try {
            partitionLog = logs.get(tp);
        } catch (StorageException e) {
            throw StorageErrors.translate(e, tp);
        }
        return partitionLog.orElseThrow(() -> new SluiceException(
                ErrorCode.PARTITION_NOT_FOUND, "partition " + partition + " of topic '" + name + "' is not open"));
    }

    private void changed(String name) {
        changes++; // only the synchronized administrative methods get here
        for (TopicListener listener : listeners) {
            try {
                listener.topicChanged(name);
            } catch (RuntimeException e) {
                log.warn("topic listener failed for {}; the change itself is done", name, e);
            }
        }
    }

    private TopicMetadata metadata(String name) {
        TopicMetadata topic = topics.get(name);
        if (topic == null) {
            throw new SluiceException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + name + "' not found");
        }
        return topic;
    }

    private LogConfig logConfig(TopicMetadata topic) {
        return TopicConfigs.toLogConfig(brokerDefaults, topic.configs());
    }

    private void openLogs(TopicMetadata topic, int fromPartition) {
        LogConfig config = logConfig(topic);
        for (int p = fromPartition; p < topic.partitions(); p++) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            try {
                openLog(tp, config);
            } catch (StorageException e) {
                throw StorageErrors.translate(e, tp);
            }
        }
    }

    private void openLog(TopicPartition tp, LogConfig config) {
        PartitionLog partitionLog = logs.getOrCreate(tp, config);
        partitionLog.updateConfig(config);
        metrics.logOpened(partitionLog);
    }

    /** Removes logs, open or offline, of a name the registry does not hold (a delete or create cut short). */
    private void removeLeftoverLogs(String name) {
        Set<TopicPartition> leftovers = new TreeSet<>(logs.offlinePartitions().keySet());
        for (PartitionLog leftover : logs.all()) {
            leftovers.add(leftover.topicPartition());
        }
        for (TopicPartition tp : leftovers) {
            if (tp.topic().equals(name)) {
                log.warn("removing leftover log {} of a topic that no longer exists", tp);
                metrics.logDeleted(tp);
                try {
                    logs.delete(tp);
                } catch (StorageException e) {
                    throw StorageErrors.translate(e, tp);
                }
            }
        }
    }

    private static PartitionDescription describe(PartitionLog partitionLog) {
        return new PartitionDescription(
                partitionLog.topicPartition().partition(),
                partitionLog.logStartOffset(),
                partitionLog.highWatermark(),
                partitionLog.sizeInBytes());
    }

    private void checkPartitions(int partitions, int atLeast) {
        if (partitions < atLeast || partitions > maxPartitions) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE,
                    "partitions must be in [" + atLeast + ", " + maxPartitions + "], got " + partitions
                            + (atLeast > 1 ? " (partitions can be added, never removed)" : ""));
        }
    }

    private static void checkReplicationFactor(int replicationFactor) {
        if (replicationFactor != 1 && replicationFactor != -1) {
            throw new SluiceException(
                    ErrorCode.INVALID_REQUEST,
                    "replication_factor " + replicationFactor
                            + " is not supported: this Sluice runs as a single node, so use 1 (or leave it out)");
        }
    }
}
