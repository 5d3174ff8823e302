package io.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The same fixed-rate end-to-end measurement as {@link EndToEndWorkload}, against Kafka with its own Java client
 * (producer {@code acks=all}, {@code linger.ms=0}, as Kafka's EndToEndLatency tool sets it; consumer assigned to
 * partition 0 from the beginning, polling continuously), so both systems are measured by one method at one rate.
 */
final class KafkaEndToEnd {

    private PhasedLatency endToEnd;
    private PhasedLatency produceAck;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    void run(String bootstrap, String topic, int rate, int warmupSeconds, int seconds, int valueSize)
            throws InterruptedException {
        long total = (long) rate * (warmupSeconds + seconds);
        long measuredFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        endToEnd = new PhasedLatency(measuredFrom);
        produceAck = new PhasedLatency(measuredFrom);
        AtomicLong seen = new AtomicLong();
        Thread consumer = new Thread(() -> consume(bootstrap, topic, total, seen), "kafka-e2e-consumer");
        consumer.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                "0",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName()))) {
            Pacer.run(rate, total, i -> {
                long now = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, Pacer.timedValue(now, valueSize)), (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        produceAck.record(now, System.nanoTime());
                    }
                });
            });
        }
        consumer.join(Duration.ofSeconds(warmupSeconds + seconds + 60).toMillis());
        if (failure.get() != null) {
            throw new IllegalStateException("kafka end-to-end run failed", failure.get());
        }
        if (seen.get() < total) {
            throw new IllegalStateException("kafka consumer saw " + seen.get() + " of " + total + " records");
        }
    }

    private void consume(String bootstrap, String topic, long total, AtomicLong seen) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen.get() < total && failure.get() == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    long now = System.nanoTime();
                    String value = record.value();
                    endToEnd.record(Long.parseLong(value, 0, value.indexOf(':'), 10), now);
                    seen.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    Result result(String id) {
        return Result.of(
                id,
                "kafka",
                endToEnd.measured().percentileMillis(99),
                endToEnd.summary() + " (produce ack " + produceAck.summary() + ")");
    }
}
