package io.sluice.bench;

import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Partition read throughput: one reader per partition reads from the partition's beginning offset (looked up before
 * the clock starts, which also opens the connections) with {@code timeout=0} until a page comes back empty (the end
 * of the partition), parsing every page as a client would: JSON with a streaming parser, or with
 * {@code Accept: application/vnd.sluice.batches} the record batches decoded by kafka-clients ({@link BatchPage}).
 * Like Kafka's consumer, a reader overlaps its next read with the current one ({@link Prefetch}): the next request
 * goes out as soon as the answer's headers name the next offset, while its body is still arriving and being
 * decoded; at most {@code prefetch} reads per partition at a time ({@code 1}: one request in flight, the next sent
 * after the last was decoded). Counts the records it saw.
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

    /** Where the next read of the partition starts, sent by the server before the body. */
    static final String NEXT_OFFSET = "Sluice-Next-Offset";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SluiceHttp http;
    private final String accept;
    private final int maxBytes;
    private final int prefetch;

    ReadWorkload(SluiceHttp http, String accept, int maxBytes, int prefetch) {
        this.http = http;
        this.accept = accept;
        this.maxBytes = maxBytes;
        this.prefetch = prefetch;
    }

    Outcome run(String topic, int partitions) {
        // where each partition starts, as a client asks before it reads (Kafka's consumer, too, looks its positions
        // up before the fetches ConsumerPerformance times); this also opens the connections outside the timing
        long[] firstOffsets = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            firstOffsets[p] = beginningOffset(topic, p);
        }
        LatencyStats latency = new LatencyStats();
        AtomicLong records = new AtomicLong();
        AtomicLong chars = new AtomicLong();
        long start = System.nanoTime();
        Flux.range(0, partitions)
                .flatMap(p -> readPartition(topic, p, firstOffsets[p], latency, records, chars), partitions)
                .blockLast(Duration.ofHours(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(records.get(), chars.get(), seconds, latency);
    }

    private long beginningOffset(String topic, int partition) {
        SluiceHttp.Response response = http.get(
                        "/topics/" + topic + "/partitions/" + partition + "/offsets", "application/json")
                .block(Duration.ofMinutes(1));
        if (response == null || !response.ok()) {
            throw new IllegalStateException("offsets of " + topic + "-" + partition + " failed: "
                    + (response == null ? "no response" : response.status() + " " + response.text()));
        }
        return JSON.readTree(response.body()).get("beginning_offset").asLong();
    }

    private Mono<Void> readPartition(
            String topic, int partition, long first, LatencyStats latency, AtomicLong records, AtomicLong chars) {
        return Prefetch.<Long, Integer>pages(first, prefetch, (offset, control) -> {
                    long sent = System.nanoTime();
                    boolean[] decided = {false};
                    String path = SluiceHttp.recordsPath(topic, partition, offset, 0, maxBytes);
                    return http.get(
                            path, accept, head -> decided[0] = nextFromHead(head, offset, control), (status, body) -> {
                                if (status < 200 || status >= 300) {
                                    throw new IllegalStateException("read failed: HTTP " + status + " "
                                            + body.toString(StandardCharsets.UTF_8));
                                }
                                latency.recordNanos(System.nanoTime() - sent);
                                long next;
                                int count;
                                if (accept.equals(BATCHES)) {
                                    BatchPage page = BatchPage.decode(ByteBufUtil.getBytes(body), offset);
                                    count = page.count();
                                    chars.addAndGet(page.valueBytes());
                                    next = page.nextOffset();
                                } else {
                                    FetchPage page = FetchPage.parse(body, false);
                                    count = page.count();
                                    chars.addAndGet(page.valueChars());
                                    next = page.lastOffset() + 1;
                                }
                                records.addAndGet(count);
                                if (!decided[0]) {
                                    // a server that does not name the next offset in headers: decided after decoding
                                    if (next <= offset) {
                                        control.end();
                                    } else {
                                        control.next(next);
                                    }
                                }
                                return count;
                            });
                })
                .then();
    }

    /**
     * Sends the next read as soon as the head names where it starts ({@value #NEXT_OFFSET}): an answer that moved
     * no further (204 for batches, no records for JSON) is the end of the partition. False if the head does not say.
     */
    private static boolean nextFromHead(SluiceHttp.Head head, long offset, Prefetch.Control<Long> control) {
        if (head.status() != 200 && head.status() != 204) {
            control.end(); // the answer's body is reported as the failure
            return true;
        }
        if (head.status() == 204) {
            control.end();
            return true;
        }
        if (!head.headers().contains(NEXT_OFFSET)) {
            return false;
        }
        long next = head.longHeader(NEXT_OFFSET);
        if (next <= offset) {
            control.end();
        } else {
            control.next(next);
        }
        return true;
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
