package io.sluice.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Partition read throughput: one reader per partition, each with one request in flight, reads from offset 0 with
 * {@code timeout=0} until a page comes back empty (the end of the partition), parsing every page as a client
 * would: JSON with a streaming parser, or with {@code Accept: application/vnd.sluice.batches} the record batches
 * decoded by kafka-clients ({@link BatchPage}). Counts the records it saw.
 */
final class ReadWorkload {

    /** Kafka record batches as stored, decoded by the client ({@link BatchPage}). */
    static final String BATCHES = "application/vnd.sluice.batches";

    /** What one run read. */
    record Outcome(long records, long valueChars, double seconds, LatencyStats latency) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    private final SluiceHttp http;
    private final String accept;
    private final int maxBytes;

    ReadWorkload(SluiceHttp http, String accept, int maxBytes) {
        this.http = http;
        this.accept = accept;
        this.maxBytes = maxBytes;
    }

    Outcome run(String topic, int partitions) {
        LatencyStats latency = new LatencyStats();
        AtomicLong records = new AtomicLong();
        AtomicLong chars = new AtomicLong();
        long start = System.nanoTime();
        Flux.range(0, partitions)
                .flatMap(p -> readPartition(topic, p, latency, records, chars), partitions)
                .blockLast(Duration.ofHours(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(records.get(), chars.get(), seconds, latency);
    }

    private Mono<Void> readPartition(
            String topic, int partition, LatencyStats latency, AtomicLong records, AtomicLong chars) {
        long[] next = {0};
        boolean[] done = {false};
        return Mono.defer(() -> {
                    long sent = System.nanoTime();
                    return http.get(SluiceHttp.recordsPath(topic, partition, next[0], 0, maxBytes), accept)
                            .map(response -> {
                                if (!response.ok()) {
                                    throw new IllegalStateException(
                                            "read failed: HTTP " + response.status() + " " + response.text());
                                }
                                latency.recordNanos(System.nanoTime() - sent);
                                if (accept.equals(BATCHES)) {
                                    // 204 (empty): the end of the partition
                                    BatchPage page = BatchPage.decode(response.body(), next[0]);
                                    records.addAndGet(page.count());
                                    chars.addAndGet(page.valueBytes());
                                    done[0] = response.body().length == 0;
                                    next[0] = page.nextOffset();
                                } else {
                                    FetchPage page = FetchPage.parse(response.body(), false);
                                    records.addAndGet(page.count());
                                    chars.addAndGet(page.valueChars());
                                    done[0] = page.count() == 0;
                                    next[0] = page.lastOffset() + 1;
                                }
                                return response;
                            });
                })
                .repeat(() -> !done[0])
                .then();
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
