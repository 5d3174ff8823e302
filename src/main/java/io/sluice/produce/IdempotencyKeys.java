package io.sluice.produce;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns an {@code Idempotency-Key} header into the producer id of an idempotent producer, so the log's producer state
 * (kept in batch headers and rebuilt after a crash) recognises a retry. The id is 62 bits of the key's SHA-256 placed
 * in the reserved range [2^62, 2^63): ids a future Kafka-protocol listener hands out count up from 0 and never reach
 * it. Every request with a key is written with epoch 0 and base sequence 0 per partition, so a retry is an exact
 * duplicate batch. Pure functions, thread-safe.
 */
public final class IdempotencyKeys {

    /** Longest accepted key, in characters. */
    public static final int MAX_LENGTH = 255;

    static final long RESERVED_RANGE_START = 1L << 62;

    private IdempotencyKeys() {}

    public static long producerId(String idempotencyKey) {
        byte[] digest = sha256(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        long hash = ByteBuffer.wrap(digest).getLong();
        return RESERVED_RANGE_START | (hash & (RESERVED_RANGE_START - 1));
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
