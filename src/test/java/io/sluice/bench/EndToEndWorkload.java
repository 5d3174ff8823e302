package io.sluice.bench;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End-to-end latency at a fixed rate: one thread produces one record per request at {@code rate} records/s (the
 * value carries its send time), while a long-poll consumer reads the partition from offset 0 and records, for each
 * record, the time from send to the consumer having parsed it. The first {@code warmupSeconds} are reported apart
 * ({@link PhasedLatency}): the figure compared is the steady state that follows.
 */
final class EndToEndWorkload {

    /** A records frame carries up to 500 records by default: far more than Netty's 64 KiB default frame limit. */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final SluiceHttp http;
    private final long longPollMs;
    private final String webSocketUrl;
    private PhasedLatency endToEnd;
    private PhasedLatency produceAck;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    EndToEndWorkload(SluiceHttp http, long longPollMs) {
        this(http, longPollMs, null);
    }

    /** With a {@code ws://.../ws} URL the consumer is a WebSocket subscription instead of long-polls. */
    EndToEndWorkload(SluiceHttp http, long longPollMs, String webSocketUrl) {
        this.http = http;
        this.longPollMs = longPollMs;
        this.webSocketUrl = webSocketUrl;
    }

    /** Runs {@code warmupSeconds} and then {@code seconds} more at {@code rate}; fails if a record went missing. */
    void run(String topic, int rate, int warmupSeconds, int seconds, int valueSize) throws InterruptedException {
        long total = (long) rate * (warmupSeconds + seconds);
        long measuredFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        endToEnd = new PhasedLatency(measuredFrom);
        produceAck = new PhasedLatency(measuredFrom);
        AtomicLong seen = new AtomicLong();
        Runnable consume =
                webSocketUrl == null ? () -> consume(topic, total, seen) : () -> consumeWebSocket(topic, total, seen);
        Thread consumer = new Thread(consume, "e2e-consumer");
        consumer.start();
        Pacer.run(rate, total, i -> produce(topic, valueSize));
        consumer.join(Duration.ofSeconds(warmupSeconds + seconds + 60).toMillis());
        if (failure.get() != null) {
            throw new IllegalStateException("end-to-end run failed", failure.get());
        }
        if (seen.get() < total) {
            throw new IllegalStateException("consumer saw " + seen.get() + " of " + total + " records");
        }
    }

    private void produce(String topic, int valueSize) {
        long now = System.nanoTime();
        String body = "{\"records\":[{\"partition\":0,\"value\":\"" + Pacer.timedValue(now, valueSize) + "\"}]}";
        http.post(
                        "/topics/" + topic,
                        "application/json",
                        () -> Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.US_ASCII)))
                .subscribe(
                        response -> {
                            if (!response.ok()) {
                                failure.compareAndSet(null, new IllegalStateException(response.text()));
                            } else {
                                produceAck.record(now, System.nanoTime());
                            }
                        },
                        error -> failure.compareAndSet(null, error));
    }

    private void consume(String topic, long total, AtomicLong seen) {
        long offset = 0;
        while (seen.get() < total && failure.get() == null) {
            SluiceHttp.Response response = http.get(
                            SluiceHttp.recordsPath(topic, 0, offset, longPollMs, 1 << 20), "application/json")
                    .block(Duration.ofMillis(longPollMs + 30_000));
            long now = System.nanoTime();
            if (response == null || !response.ok()) {
                failure.compareAndSet(
                        null,
                        new IllegalStateException("poll failed: " + (response == null ? "none" : response.text())));
                return;
            }
            FetchPage page = FetchPage.parse(response.body(), true);
            for (long sent : page.sendNanos()) {
                endToEnd.record(sent, now);
            }
            seen.addAndGet(page.count());
            if (page.count() > 0) {
                offset = page.lastOffset() + 1;
            }
        }
    }

    /**
     * One WebSocket subscription to partition 0 from the earliest offset ({@code docs/websocket.md}); every
     * {@code records} frame is parsed like a read page.
     */
    private void consumeWebSocket(String topic, long total, AtomicLong seen) {
        String subscribe = "{\"op\":\"subscribe\",\"id\":\"e2e\",\"topic\":\"" + topic
                + "\",\"partitions\":[0],\"from\":\"earliest\"}";
        try {
            reactor.netty.http.client.HttpClient.create()
                    .websocket(reactor.netty.http.client.WebsocketClientSpec.builder()
                            .maxFramePayloadLength(MAX_FRAME_BYTES)
                            .build())
                    .uri(webSocketUrl)
                    .handle((in, out) -> out.sendString(reactor.core.publisher.Mono.just(subscribe))
                            .then()
                            .thenMany(in.receive().asByteArray().map(frame -> {
                                long now = System.nanoTime();
                                FetchPage page = FetchPage.parse(frame, true);
                                for (long sent : page.sendNanos()) {
                                    endToEnd.record(sent, now);
                                }
                                if (page.count() == 0
                                        && new String(frame, StandardCharsets.UTF_8).contains("\"error\"")) {
                                    throw new IllegalStateException(
                                            "WebSocket error: " + new String(frame, StandardCharsets.UTF_8));
                                }
                                return seen.addAndGet(page.count());
                            }))
                            .takeUntil(count -> count >= total || failure.get() != null))
                    .blockLast(Duration.ofMinutes(10));
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    Result result(String id) {
        return Result.of(
                id,
                "sluice",
                endToEnd.measured().percentileMillis(99),
                endToEnd.summary() + " (produce ack " + produceAck.summary() + ")");
    }
}
