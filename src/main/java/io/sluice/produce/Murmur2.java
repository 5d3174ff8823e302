package io.sluice.produce;

/**
 * 32-bit MurmurHash2 with the seed Kafka's clients use ({@code 0x9747b28c}), so that a key hashes to the same
 * partition here as in a Kafka producer. Reads the input in little-endian 4-byte words; the 1-3 trailing bytes are
 * mixed in last. Pure function, thread-safe.
 */
final class Murmur2 {

    private static final int SEED = 0x9747b28c;
    private static final int MULTIPLIER = 0x5bd1e995;
    private static final int SHIFT = 24;

    private Murmur2() {}

    static int hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /** The hash of {@code data[offset, offset + length)}. */
    static int hash(byte[] data, int offset, int length) {
        int h = SEED ^ length;
        int words = length / 4;
        for (int w = 0; w < words; w++) {
            int i = offset + w * 4;
            int k = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            k *= MULTIPLIER;
            k ^= k >>> SHIFT;
            k *= MULTIPLIER;
            h *= MULTIPLIER;
            h ^= k;
        }
        h = mixTail(data, offset + words * 4, length % 4, h);
        h ^= h >>> 13;
        h *= MULTIPLIER;
        h ^= h >>> 15;
        return h;
    }

    private static int mixTail(byte[] data, int start, int remaining, int h) {
        if (remaining == 0) {
            return h;
        }
        if (remaining == 3) {
            h ^= (data[start + 2] & 0xff) << 16;
        }
        if (remaining >= 2) {
            h ^= (data[start + 1] & 0xff) << 8;
        }
        h ^= data[start] & 0xff;
        return h * MULTIPLIER;
    }
}
