package io.sluice.produce;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses partitions the way Kafka's default producer does for keyed records: {@code (murmur2(key) & 0x7fffffff) %
 * partitions}, so a key lands on the same partition whether it was written through Sluice or a Kafka client.
 * Keyless records are sticky per request: every keyless record of one request goes to one partition, and successive
 * requests to the same topic take its partitions in turn (one counter per topic, so interleaved requests to
 * different topics do not skew each other). Idempotent requests derive that partition from the idempotency key instead,
 * so a retry lands where the original did. Thread-safe.
 */
public final class Partitioner {

    private final ConcurrentMap<String, AtomicInteger> nextKeyless = new ConcurrentHashMap<>();

    /** The partition of a keyed record. */
    public static int forKey(byte[] key, int partitions) {
        return forKey(key, 0, key.length, partitions);
    }

    /** The partition of a keyed record whose key is {@code key[offset, offset + length)}. */
    public static int forKey(byte[] key, int offset, int length, int partitions) {
        return (Murmur2.hash(key, offset, length) & 0x7fffffff) % partitions;
    }

    /** The partition for the keyless records of one request to {@code topic}; moves on with every call. */
    public int forKeylessRequest(String topic, int partitions) {
        AtomicInteger next = nextKeyless.computeIfAbsent(topic, t -> new AtomicInteger());
        return (next.getAndIncrement() & 0x7fffffff) % partitions;
    }

    /** The partition for the keyless records of an idempotent request: a function of the idempotency key only. */
    public static int forIdempotencyKey(String idempotencyKey, int partitions) {
        return forKey(idempotencyKey.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
