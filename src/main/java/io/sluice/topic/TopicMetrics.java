package io.sluice.topic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.common.TopicPartition;
import io.sluice.storage.PartitionLog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The broker's traffic meters: records and bytes in/out per topic, produce and read latency histograms, and the size
 * of every open partition log. Meter names (Prometheus adds {@code _total}/{@code _seconds}): {@code
 * sluice.records.in}, {@code sluice.bytes.in}, {@code sluice.records.out}, {@code sluice.bytes.out} (tag {@code
 * topic}), {@code sluice.produce.latency}, {@code sluice.read.latency} (tag {@code topic}), {@code
 * sluice.log.size.bytes} (tags {@code topic}, {@code partition}). Thread-safe.
 */
public final class TopicMetrics {

    private final MeterRegistry registry;
    private final Map<TopicPartition, Gauge> logSizes = new ConcurrentHashMap<>();
    private final Map<String, ProduceMeters> produceMeters = new ConcurrentHashMap<>();

    public TopicMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void produced(String topic, long records, long bytes, long nanos) {
        ProduceMeters meters = produceMeters.computeIfAbsent(topic, this::produceMeters);
        meters.records().increment(records);
        meters.bytes().increment(bytes);
        meters.latency().record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registered once per topic: looking meters up by name and tags on every request cost a few % of produce CPU. */
    private ProduceMeters produceMeters(String topic) {
        return new ProduceMeters(
                counter("sluice.records.in", topic, "Records appended"),
                counter("sluice.bytes.in", topic, "Record bytes appended (keys, values, headers)"),
                Timer.builder("sluice.produce.latency")
                        .description("Time to append a produce request to the log")
                        .tag("topic", topic)
                        .publishPercentileHistogram()
                        .register(registry));
    }

    private record ProduceMeters(Counter records, Counter bytes, Timer latency) {}

    public void read(String topic, long records, long bytes, long nanos) {
        counter("sluice.records.out", topic, "Records returned by reads").increment(records);
        counter("sluice.bytes.out", topic, "Record bytes returned by reads (keys, values, headers)")
                .increment(bytes);
        Timer.builder("sluice.read.latency")
                .description("Time to answer a read, waiting included")
                .tag("topic", topic)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** Registers the gauge {@code sluice.fetch.waiting}: reads parked until data arrives or their timeout. */
    public void waitingReads(java.util.function.Supplier<Number> count) {
        Gauge.builder("sluice.fetch.waiting", count)
                .description("Reads waiting for records (long-poll)")
                .strongReference(true)
                .register(registry);
    }

    void logOpened(PartitionLog log) {
        TopicPartition tp = log.topicPartition();
        logSizes.computeIfAbsent(
                tp,
                key -> Gauge.builder("sluice.log.size.bytes", log, PartitionLog::sizeInBytes)
                        .description("Bytes on disk of a partition log")
                        .tag("topic", key.topic())
                        .tag("partition", Integer.toString(key.partition()))
                        .baseUnit("bytes")
                        .strongReference(true)
                        .register(registry));
    }

    void logDeleted(TopicPartition tp) {
        Gauge gauge = logSizes.remove(tp);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    private Counter counter(String name, String topic, String description) {
        return Counter.builder(name)
                .description(description)
                .tag("topic", topic)
                .register(registry);
    }
}
