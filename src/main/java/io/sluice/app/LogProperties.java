package io.sluice.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker-wide defaults for topic configs ({@code sluice.log.*}); each is the default of the Kafka topic config of the
 * same name (e.g. {@code sluice.log.retention-ms} for {@code retention.ms}). Unset means the storage engine's
 * default, which is Kafka's. Values use the same syntax as the topic configs.
 */
public class LogProperties {

    /** Segment file size before a new one is rolled (segment.bytes; default 1 GiB). */
    private String segmentBytes;

    /** Age of a segment before a new one is rolled (segment.ms; default 7 days). */
    private String segmentMs;

    /** Size of a segment's offset index (segment.index.bytes; default 10 MiB). */
    private String segmentIndexBytes;

    /** Bytes between two offset index entries (index.interval.bytes; default 4096). */
    private String indexIntervalBytes;

    /** Age after which whole segments are deleted (retention.ms; default 7 days, -1 = forever). */
    private String retentionMs;

    /** Partition size above which the oldest segments are deleted (retention.bytes; default -1 = no limit). */
    private String retentionBytes;

    /** Records between fsyncs; an acknowledged write waits for its fsync (flush.messages; default never). */
    private String flushMessages;

    /** Milliseconds between fsyncs (flush.ms; default never: writes reach the OS, which survives a process crash). */
    private String flushMs;

    /** Largest record batch a partition accepts (max.message.bytes; default 1 MiB). */
    private String maxMessageBytes;

    /** CreateTime (producer's timestamp) or LogAppendTime (the broker's clock) (message.timestamp.type). */
    private String messageTimestampType;

    /**
     * How long an idle producer id is remembered, which bounds how long an Idempotency-Key retry is recognised
     * (producer.id.expiration.ms; default 1 day).
     */
    private String producerIdExpirationMs;

    public String getSegmentBytes() {
        return segmentBytes;
    }

    public void setSegmentBytes(String segmentBytes) {
        this.segmentBytes = segmentBytes;
    }

    public String getSegmentMs() {
        return segmentMs;
    }

    public void setSegmentMs(String segmentMs) {
        this.segmentMs = segmentMs;
    }

    public String getSegmentIndexBytes() {
        return segmentIndexBytes;
    }

    public void setSegmentIndexBytes(String segmentIndexBytes) {
        this.segmentIndexBytes = segmentIndexBytes;
    }

    public String getIndexIntervalBytes() {
        return indexIntervalBytes;
    }

    public void setIndexIntervalBytes(String indexIntervalBytes) {
        this.indexIntervalBytes = indexIntervalBytes;
    }

    public String getRetentionMs() {
        return retentionMs;
    }

    public void setRetentionMs(String retentionMs) {
        this.retentionMs = retentionMs;
    }

    public String getRetentionBytes() {
        return retentionBytes;
    }

    public void setRetentionBytes(String retentionBytes) {
        this.retentionBytes = retentionBytes;
    }

    public String getFlushMessages() {
        return flushMessages;
    }

    public void setFlushMessages(String flushMessages) {
        this.flushMessages = flushMessages;
    }

    public String getFlushMs() {
        return flushMs;
    }

    public void setFlushMs(String flushMs) {
        this.flushMs = flushMs;
    }

    public String getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(String maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public String getMessageTimestampType() {
        return messageTimestampType;
    }

    public void setMessageTimestampType(String messageTimestampType) {
        this.messageTimestampType = messageTimestampType;
    }

    public String getProducerIdExpirationMs() {
        return producerIdExpirationMs;
    }

    public void setProducerIdExpirationMs(String producerIdExpirationMs) {
        this.producerIdExpirationMs = producerIdExpirationMs;
    }

    /** The values set, keyed by Kafka config name. */
    public Map<String, String> asTopicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        put(configs, "segment.bytes", segmentBytes);
        put(configs, "segment.ms", segmentMs);
        put(configs, "segment.index.bytes", segmentIndexBytes);
        put(configs, "index.interval.bytes", indexIntervalBytes);
        put(configs, "retention.ms", retentionMs);
        put(configs, "retention.bytes", retentionBytes);
        put(configs, "flush.messages", flushMessages);
        put(configs, "flush.ms", flushMs);
        put(configs, "max.message.bytes", maxMessageBytes);
        put(configs, "message.timestamp.type", messageTimestampType);
        put(configs, "producer.id.expiration.ms", producerIdExpirationMs);
        return configs;
    }

    private static void put(Map<String, String> configs, String name, String value) {
        if (value != null && !value.isBlank()) {
            configs.put(name, value.trim());
        }
    }
}
