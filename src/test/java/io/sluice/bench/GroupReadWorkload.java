package io.sluice.bench;

import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumer-group read throughput: one consumer instance per partition in a new group (JSON format,
 * {@code auto.offset.reset=earliest}), all subscribed to the topic; once every instance owns one partition, each
 * reads {@code GET /consumers/{g}/instances/{i}/records?timeout=0} until an answer is empty, parsing every answer as a
 * client would: JSON with a streaming parser, or with {@code Accept: application/vnd.sluice.batches} every batch
 * CRC-checked and every record decoded by kafka-clients ({@link GroupBatchPage}). As Kafka's consumer overlaps its
 * next fetch with processing, the next read goes out as soon as an answer's headers arrived (the server has moved
 * the positions by then), at most {@code prefetch} reads per instance at a time ({@link Prefetch}). The time counted
 * starts when the group is settled (as Kafka's {@code ConsumerPerformance} reports {@code fetch.nMsg.sec} without the
 * join). The instances are deleted at the end.
 */
final class GroupReadWorkload {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SluiceHttp http;
    private final int maxBytes;
    private final String accept;
    private final int prefetch;

    GroupReadWorkload(SluiceHttp http, int maxBytes, String accept, int prefetch) {
        this.http = http;
        this.maxBytes = maxBytes;
        this.accept = accept;
        this.prefetch = prefetch;
    }

    ReadWorkload.Outcome run(String topic, int partitions) {
        String group = "bench-group-" + topic + "-" + System.nanoTime();
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            String name = "c" + i;
            call(
                    "POST",
                    "/consumers/" + group,
                    "{\"name\":\"" + name + "\",\"format\":\"json\"," + "\"auto.offset.reset\":\"earliest\"}");
            instances.add(name);
        }
        for (String instance : instances) {
            call("POST", path(group, instance) + "/subscription", "{\"topics\":[\"" + topic + "\"]}");
        }
        awaitOnePartitionEach(group, instances);
        LatencyStats latency = new LatencyStats();
        AtomicLong records = new AtomicLong();
        AtomicLong chars = new AtomicLong();
        long start = System.nanoTime();
        Flux.fromIterable(instances)
                .flatMap(instance -> readToTheEnd(group, instance, latency, records, chars), partitions)
                .blockLast(Duration.ofHours(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        for (String instance : instances) {
            call("DELETE", path(group, instance), null);
        }
        return new ReadWorkload.Outcome(records.get(), chars.get(), seconds, latency);
    }

    private Mono<Void> readToTheEnd(
            String group, String instance, LatencyStats latency, AtomicLong records, AtomicLong chars) {
        String uri = path(group, instance) + "/records?timeout=0&max_bytes=" + maxBytes;
        boolean batches = accept.equals(ReadWorkload.BATCHES);
        // the positions are the server's: the next read may go out as soon as this one's headers arrived
        return Prefetch.<Integer, Integer>pages(0, prefetch, (n, control) -> {
                    long sent = System.nanoTime();
                    return http.get(
                            uri,
                            accept,
                            head -> {
                                if (head.status() == 200) {
                                    control.next(n + 1);
                                } else {
                                    control.end(); // 204: nothing left; anything else fails below
                                }
                            },
                            (status, body) -> {
                                if (status < 200 || status >= 300) {
                                    throw new IllegalStateException("group read failed: HTTP " + status + " "
                                            + body.toString(StandardCharsets.UTF_8));
                                }
                                latency.recordNanos(System.nanoTime() - sent);
                                int count;
                                if (batches) {
                                    GroupBatchPage page = GroupBatchPage.decode(ByteBufUtil.getBytes(body));
                                    count = page.count();
                                    chars.addAndGet(page.valueBytes());
                                } else {
                                    FetchPage page = FetchPage.parse(body, false);
                                    count = page.count();
                                    chars.addAndGet(page.valueChars());
                                }
                                records.addAndGet(count);
                                if (count == 0) {
                                    control.end(); // reads already sent still complete (empty)
                                }
                                return count;
                            });
                })
                .then();
    }

    private void awaitOnePartitionEach(String group, List<String> instances) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            boolean settled = true;
            for (String instance : instances) {
                JsonNode assignment = JSON.readTree(call("GET", path(group, instance) + "/assignments", null));
                settled &= assignment.get("partitions").size() == 1;
            }
            if (settled) {
                return;
            }
            Mono.delay(Duration.ofMillis(50)).block(); // polling the group's state, not synchronising with it
        }
        throw new IllegalStateException("group " + group + " did not give every instance one partition in 2 min");
    }

    private byte[] call(String method, String path, String json) {
        SluiceHttp.Response response = http.send(
                        method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8))
                .block(Duration.ofMinutes(1));
        if (response == null || !response.ok()) {
            throw new IllegalStateException(method + " " + path + " failed: "
                    + (response == null ? "no response" : response.status() + " " + response.text()));
        }
        return response.body();
    }

    private static String path(String group, String instance) {
        return "/consumers/" + group + "/instances/" + instance;
    }
}
