package io.sluice.storage;

import io.sluice.record.TimestampType;

/**
 * The settings of one partition log, named after Kafka's topic configs: segment.bytes, segment.ms,
 * segment.index.bytes, index.interval.bytes, retention.ms, retention.bytes, flush.messages, flush.ms,
 * max.message.bytes, message.timestamp.type, producer.id.expiration.ms. A negative retention means "keep forever";
 * {@code Long.MAX_VALUE} flush settings mean "never wait for fsync".
 */
public record LogConfig(
        long segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long retentionMs,
        long retentionBytes,
        long flushMessages,
        long flushMs,
        int maxMessageBytes,
        TimestampType timestampType,
        long producerIdExpirationMs) {

    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    public LogConfig {
        if (segmentBytes < 1 || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segment.bytes must be in [1, 2^31-1]: " + segmentBytes);
        }
        if (segmentIndexBytes < 16) {
            throw new IllegalArgumentException("segment.index.bytes must be at least 16: " + segmentIndexBytes);
        }
        if (indexIntervalBytes < 0 || maxMessageBytes < 1 || segmentMs < 1 || flushMessages < 1 || flushMs < 0) {
            throw new IllegalArgumentException("invalid log config " + LogConfig.class.getSimpleName());
        }
        if (timestampType == null) {
            throw new IllegalArgumentException("message.timestamp.type must be set");
        }
    }

    /** Kafka's defaults: 1 GiB / 7-day segments and retention, no size retention, never wait for fsync. */
    public static LogConfig defaults() {
        return new LogConfig(
                1024L * 1024 * 1024,
                7 * DAY_MS,
                10 * 1024 * 1024,
                4096,
                7 * DAY_MS,
                -1,
                Long.MAX_VALUE,
                Long.MAX_VALUE,
                1024 * 1024 + 12,
                TimestampType.CREATE_TIME,
                DAY_MS);
    }

    public LogConfig withSegmentBytes(long v) {
        return new LogConfig(
                v,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withSegmentMs(long v) {
        return new LogConfig(
                segmentBytes,
                v,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withSegmentIndexBytes(int v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                v,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withIndexIntervalBytes(int v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                v,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withRetentionMs(long v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                v,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withRetentionBytes(long v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                v,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withFlushMessages(long v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                v,
                flushMs,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withFlushMs(long v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                v,
                maxMessageBytes,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withMaxMessageBytes(int v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                v,
                timestampType,
                producerIdExpirationMs);
    }

    public LogConfig withTimestampType(TimestampType v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                v,
                producerIdExpirationMs);
    }

    public LogConfig withProducerIdExpirationMs(long v) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                segmentIndexBytes,
                indexIntervalBytes,
                retentionMs,
                retentionBytes,
                flushMessages,
                flushMs,
                maxMessageBytes,
                timestampType,
                v);
    }

    /** Whether appends wait for fsync at all under this config. */
    boolean flushesOnAppend() {
        return flushMessages != Long.MAX_VALUE || flushMs != Long.MAX_VALUE;
    }
}
