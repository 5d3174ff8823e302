package io.sluice.topic;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.TimestampType;
import io.sluice.storage.LogConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Topic-level configs under Kafka's names, validated and applied on top of the broker defaults to give a partition's
 * {@link LogConfig}. Only names Sluice honours are accepted: an unknown name or a bad value is a 422 that names it.
 * {@code cleanup.policy} accepts only {@code delete} and {@code min.insync.replicas} only 1 until compaction and
 * replication exist. Stateless and thread-safe.
 */
public final class TopicConfigs {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    /** Every accepted name. */
    public static final Set<String> NAMES = Set.of(
            SEGMENT_BYTES,
            SEGMENT_MS,
            SEGMENT_INDEX_BYTES,
            INDEX_INTERVAL_BYTES,
            RETENTION_MS,
            RETENTION_BYTES,
            FLUSH_MESSAGES,
            FLUSH_MS,
            MAX_MESSAGE_BYTES,
            MESSAGE_TIMESTAMP_TYPE,
            PRODUCER_ID_EXPIRATION_MS,
            CLEANUP_POLICY,
            MIN_INSYNC_REPLICAS);

    private TopicConfigs() {}

    /**
     * Checks every entry and returns them normalised (trimmed, sorted).
     *
     * @throws SluiceException {@link ErrorCode#INVALID_VALUE} naming the first unknown key or bad value
     */
    public static Map<String, String> validate(Map<String, String> configs) {
        Map<String, String> normalised = new TreeMap<>();
        configs.forEach((name, raw) -> {
            if (raw == null) {
                throw invalid("config '" + name + "' has no value");
            }
            String value = raw.trim();
            apply(LogConfig.defaults(), name, value);
            normalised.put(name, value);
        });
        return normalised;
    }

    /** The log config of a topic: {@code defaults} overridden by the (validated) topic configs. */
    public static LogConfig toLogConfig(LogConfig defaults, Map<String, String> configs) {
        LogConfig config = defaults;
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            config = apply(config, entry.getKey(), entry.getValue());
        }
        return config;
    }

    /** Every config name with its effective value, as shown by a topic description. */
    public static Map<String, String> describe(LogConfig config) {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put(CLEANUP_POLICY, "delete");
        shown.put(FLUSH_MESSAGES, Long.toString(config.flushMessages()));
        shown.put(FLUSH_MS, Long.toString(config.flushMs()));
        shown.put(INDEX_INTERVAL_BYTES, Integer.toString(config.indexIntervalBytes()));
        shown.put(MAX_MESSAGE_BYTES, Integer.toString(config.maxMessageBytes()));
        shown.put(MESSAGE_TIMESTAMP_TYPE, timestampTypeName(config.timestampType()));
        shown.put(MIN_INSYNC_REPLICAS, "1");
        shown.put(PRODUCER_ID_EXPIRATION_MS, Long.toString(config.producerIdExpirationMs()));
        shown.put(RETENTION_BYTES, Long.toString(config.retentionBytes()));
        shown.put(RETENTION_MS, Long.toString(config.retentionMs()));
        shown.put(SEGMENT_BYTES, Long.toString(config.segmentBytes()));
        shown.put(SEGMENT_INDEX_BYTES, Integer.toString(config.segmentIndexBytes()));
        shown.put(SEGMENT_MS, Long.toString(config.segmentMs()));
        return shown;
    }

    private static LogConfig apply(LogConfig c, String name, String value) {
        return switch (name) {
            case SEGMENT_BYTES -> c.withSegmentBytes(longIn(name, value, 14, Integer.MAX_VALUE));
            case SEGMENT_MS -> c.withSegmentMs(longIn(name, value, 1, Long.MAX_VALUE));
            case SEGMENT_INDEX_BYTES -> c.withSegmentIndexBytes((int) longIn(name, value, 16, Integer.MAX_VALUE));
            case INDEX_INTERVAL_BYTES -> c.withIndexIntervalBytes((int) longIn(name, value, 0, Integer.MAX_VALUE));
            case RETENTION_MS -> c.withRetentionMs(longIn(name, value, -1, Long.MAX_VALUE));
            case RETENTION_BYTES -> c.withRetentionBytes(longIn(name, value, -1, Long.MAX_VALUE));
            case FLUSH_MESSAGES -> c.withFlushMessages(longIn(name, value, 1, Long.MAX_VALUE));
            case FLUSH_MS -> c.withFlushMs(longIn(name, value, 0, Long.MAX_VALUE));
            case MAX_MESSAGE_BYTES -> c.withMaxMessageBytes((int) longIn(name, value, 1, Integer.MAX_VALUE));
            case PRODUCER_ID_EXPIRATION_MS -> c.withProducerIdExpirationMs(longIn(name, value, 1, Long.MAX_VALUE));
            case MESSAGE_TIMESTAMP_TYPE -> c.withTimestampType(timestampType(value));
            case CLEANUP_POLICY -> requireExactly(c, name, value, "delete", "compaction is not supported yet");
            case MIN_INSYNC_REPLICAS -> requireExactly(c, name, value, "1", "replication factor is 1");
            default ->
                throw invalid("unknown topic config '" + name + "'; known configs: "
                        + String.join(", ", new TreeSet<>(NAMES)));
        };
    }

    private static LogConfig requireExactly(LogConfig c, String name, String value, String only, String why) {
        if (!only.equals(value)) {
            throw invalid("config '" + name + "' must be '" + only + "' (" + why + "), got '" + value + "'");
        }
        return c;
    }

    private static TimestampType timestampType(String value) {
        return switch (value) {
            case "CreateTime" -> TimestampType.CREATE_TIME;
            case "LogAppendTime" -> TimestampType.LOG_APPEND_TIME;
            default ->
                throw invalid("config '" + MESSAGE_TIMESTAMP_TYPE + "' must be 'CreateTime' or 'LogAppendTime', got '"
                        + value + "'");
        };
    }

    static String timestampTypeName(TimestampType type) {
        return type == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime";
    }

    private static long longIn(String name, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid("config '" + name + "' must be an integer, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw invalid("config '" + name + "' must be in [" + min + ", " + max + "], got " + parsed);
        }
        return parsed;
    }

    private static SluiceException invalid(String message) {
        return new SluiceException(ErrorCode.INVALID_VALUE, message);
    }
}
