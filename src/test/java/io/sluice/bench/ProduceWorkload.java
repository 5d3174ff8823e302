package io.sluice.bench;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Batched produce throughput: {@code records} records of {@code valueSize} bytes, {@code batch} records per
 * request, requests spread round-robin over the partitions, {@code concurrency} requests in flight. Each body is
 * encoded from its records when the request is sent. Any non-2xx response fails the run.
 */
final class ProduceWorkload {

    /** What one run did. */
    record Outcome(long records, long requests, double seconds, LatencyStats latency) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    private static final byte[] ERROR_CODE = "\"error_code\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SluiceHttp http;
    private final BodyFormat format;
    private final ValueSource values;

    ProduceWorkload(SluiceHttp http, BodyFormat format, int valueSize) {
        this.http = http;
        this.format = format;
        this.values = new ValueSource(valueSize);
    }

    /** Default batch: about 256 KiB of values per request, like the Kafka producer's {@code batch.size=262144}. */
    static int defaultBatch(int valueSize) {
        return Math.max(1, 262_144 / valueSize);
    }

    Outcome run(String topic, int partitions, long records, int batch, int concurrency) {
        long requests = (records + batch - 1) / batch;
        LatencyStats latency = new LatencyStats();
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        Flux.range(0, Math.toIntExact(requests))
                .flatMap(
                        i -> send(topic, i % partitions, (long) i * batch, count(records, i, batch), latency),
                        concurrency)
                .doOnNext(acked::addAndGet)
                .blockLast(Duration.ofHours(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(acked.get(), requests, seconds, latency);
    }

    private static int count(long records, long request, int batch) {
        return (int) Math.min(batch, records - request * batch);
    }

    private Mono<Integer> send(String topic, int partition, long firstSeq, int count, LatencyStats latency) {
        return Mono.defer(() -> {
            long sent = System.nanoTime();
            return http.post(
                            "/topics/" + topic,
                            format.contentType(),
                            () -> format.encode(ByteBufAllocator.DEFAULT, values, firstSeq, count, partition))
                    .map(response -> {
                        // NDJSON answers 200 and reports a failed line in the body, so look there too.
                        if (!response.ok() || contains(response.body(), ERROR_CODE)) {
                            throw new IllegalStateException(
                                    "produce failed: HTTP " + response.status() + " " + response.text());
                        }
                        latency.recordNanos(System.nanoTime() - sent);
                        return count;
                    });
        });
    }

    private static boolean contains(byte[] body, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= body.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static Result result(String id, Outcome outcome, int valueSize) {
        double mib = outcome.records() * (double) valueSize / (1 << 20) / outcome.seconds();
        return Result.of(
                id,
                "sluice",
                outcome.recordsPerSecond(),
                Result.rate(outcome.recordsPerSecond(), mib) + "; request "
                        + outcome.latency().summary());
    }
}
