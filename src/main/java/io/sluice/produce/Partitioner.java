package io.sluice.produce;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses partitions the way Kafka's default producer does for keyed records: {@code (murmur2(key) & 0x7fffffff) %
 * partitions}, so a key lands on the same partition whether it was written through Sluice or a Kafka client.
 * Keyless records are sticky per request: every keyless record of one request goes to one partition, and successive
 * requests take the partitions in turn. Idempotent requests derive that partition from the idempotency key instead,
 * so a retry lands where the original did. Thread-safe.
 */
public final class Partitioner {

    private final AtomicInteger nextKeyless = new AtomicInteger();

    /** The partition of a keyed record. */
    public static int forKey(byte[] key, int partitions) {
        return (Murmur2.hash(key) & 0x7fffffff) % partitions;
    }

    /** The partition for the keyless records of one request; moves on with every call. */
    public int forKeylessRequest(int partitions) {
        return (nextKeyless.getAndIncrement() & 0x7fffffff) % partitions;
    }

    /** The partition for the keyless records of an idempotent request: a function of the idempotency key only. */
    public static int forIdempotencyKey(String idempotencyKey, int partitions) {
        return forKey(idempotencyKey.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
