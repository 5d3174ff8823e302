package io.sluice.record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generator of batch contents for the codec's property tests; the seed reproduces a failure. */
final class RandomBatches {

    record Input(long timestamp, byte[] key, byte[] value, List<Header> headers) {}

    record Spec(
            CompressionType compression, long producerId, short producerEpoch, int baseSequence, List<Input> records) {}

    private static final String[] HEADER_KEYS = {"trace-id", "content-type", "", "ключ", "日本", "a.b-c_d"};

    private RandomBatches() {}

    static Spec spec(long seed) {
        Random random = new Random(seed);
        boolean idempotent = random.nextBoolean();
        int count = 1 + random.nextInt(random.nextBoolean() ? 5 : 60);
        long base = 1_600_000_000_000L + random.nextInt(1_000_000_000);
        List<Input> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long timestamp = base + random.nextInt(200_000) - 100_000;
            records.add(new Input(timestamp, bytes(random, 40), bytes(random, 2_000), headers(random)));
        }
        return new Spec(
                random.nextInt(3) == 0 ? CompressionType.GZIP : CompressionType.NONE,
                idempotent ? random.nextLong() & Long.MAX_VALUE : RecordBatch.NO_PRODUCER_ID,
                idempotent ? (short) random.nextInt(Short.MAX_VALUE) : RecordBatch.NO_PRODUCER_EPOCH,
                idempotent ? random.nextInt(Integer.MAX_VALUE) : RecordBatch.NO_SEQUENCE,
                records);
    }

    static RecordBatch build(Spec spec) {
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .compression(spec.compression())
                .producer(spec.producerId(), spec.producerEpoch(), spec.baseSequence());
        for (Input input : spec.records()) {
            builder.append(input.timestamp(), input.key(), input.value(), input.headers());
        }
        return builder.build();
    }

    private static byte[] bytes(Random random, int maxLength) {
        int choice = random.nextInt(8);
        if (choice == 0) {
            return null;
        }
        byte[] bytes = new byte[choice == 1 ? 0 : random.nextInt(maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static List<Header> headers(Random random) {
        int count = random.nextInt(4);
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = HEADER_KEYS[random.nextInt(HEADER_KEYS.length)];
            byte[] value = random.nextInt(5) == 0 ? null : ("v" + random.nextInt()).getBytes(StandardCharsets.UTF_8);
            headers.add(new Header(key, value));
        }
        return headers;
    }
}
