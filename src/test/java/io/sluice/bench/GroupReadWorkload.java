package io.sluice.bench;

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
 * reads {@code GET /consumers/{g}/instances/{i}/records?timeout=0} with one request in flight until an answer is
 * empty, parsing every answer as a streaming client would. The time counted starts when the group is settled (as
 * Kafka's {@code ConsumerPerformance} reports {@code fetch.nMsg.sec} without the join). The instances are deleted at
 * the end.
 */
final class GroupReadWorkload {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SluiceHttp http;
    private final int maxBytes;

    GroupReadWorkload(SluiceHttp http, int maxBytes) {
        this.http = http;
        this.maxBytes = maxBytes;
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
        boolean[] done = {false};
        String uri = path(group, instance) + "/records?timeout=0&max_bytes=" + maxBytes;
        return Mono.defer(() -> {
                    long sent = System.nanoTime();
                    return http.get(uri, "application/json").map(response -> {
                        if (!response.ok()) {
                            throw new IllegalStateException(
                                    "group read failed: HTTP " + response.status() + " " + response.text());
                        }
                        latency.recordNanos(System.nanoTime() - sent);
                        FetchPage page = FetchPage.parse(response.body(), false);
                        records.addAndGet(page.count());
                        chars.addAndGet(page.valueChars());
                        done[0] = page.count() == 0;
                        return page;
                    });
                })
                .repeat(() -> !done[0])
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
