package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * More producers and readers than a small server can serve: a real server process with tight limits (1 MB of
 * produce bodies and 20 reads in flight, 2 storage threads with a 64-call queue, 256 MB heap) is flooded by 24
 * producers sending 100 KB bodies and 200 long-polling readers. It must push back with 429 + Retry-After, never a 5xx,
 * keep its memory bounded, stay healthy, and every acknowledged record must be readable afterwards.
 * {@code -Dsluice.overload.seconds=N} floods for longer (soak).
 */
class OverloadIT {

    private static final int SECONDS = Integer.getInteger("sluice.overload.seconds", 8);
    private static final int PRODUCERS = 24;
    private static final int READERS = 200;
    private static final int PARTITIONS = 4;
    private static final int RECORDS_PER_REQUEST = 100;
    private static final String PADDING = "x".repeat(1000);

    @TempDir
    Path dataDir;

    private SluiceProcess server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ConcurrentMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger tooManyWithoutRetryAfter = new AtomicInteger();
    private final ConcurrentMap<String, String> acknowledged = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void aFloodIsPushedBackWith429sAndLosesNothingAcknowledged() throws Exception {
        server = new SluiceProcess(
                dataDir,
                "--sluice.http.max-in-flight-produce-bytes=1MB",
                "--sluice.http.max-in-flight-reads=20",
                "--sluice.storage.threads=2",
                "--sluice.storage.queue-size=64");
        ApiClient api = server.start();
        api.postJson("/topics", "{\"name\":\"flood\",\"partitions\":" + PARTITIONS + "}")
                .expect(201);

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicLong maxRssKb = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            work.add(pool.submit(() -> produceUntil(api.base(), producer, end)));
        }
        work.add(pool.submit(() -> sampleRss(end, maxRssKb)));
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        Random random = new Random(7);
        for (int r = 0; r < READERS; r++) {
            readers.add(readUntil(api.base(), random.nextInt(PARTITIONS), end));
        }
        for (Future<?> job : work) {
            job.get(SECONDS + 120L, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        pool.shutdown();

        System.out.printf(
                "OverloadIT: %d s flood, statuses %s, %d records acknowledged, server max RSS %d MB%n",
                SECONDS, statuses, acknowledged.size(), maxRssKb.get() / 1024);
        assertThat(statuses.keySet()).as("statuses seen").allMatch(status -> status == 200 || status == 429);
        assertThat(statuses.get(429)).as("the server pushed back").isNotNull();
        assertThat(tooManyWithoutRetryAfter).hasValue(0);
        assertThat(acknowledged).as("some produces got through").isNotEmpty();
        assertThat(maxRssKb.get() / 1024)
                .as("server RSS (MB) with a 256 MB heap")
                .isLessThan(900);
        assertThat(api.get("/actuator/health").expect(200).get("status").stringValue())
                .isEqualTo("UP");
        assertThat(api.metric("sluice_http_refused_total"))
                .as("refusals counted")
                .isPositive();
        // every request gave back what it held (its exchange ends just after the client has the answer)
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> api.metric("sluice_http_in_flight_reads") == 0
                        && api.metric("sluice_http_in_flight_produce_bytes") == 0);
        assertEveryAcknowledgedRecordIsReadable(api);
    }

    private Void produceUntil(String base, int producer, long end) throws Exception {
        int sequence = 0;
        while (System.nanoTime() < end) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
                body.append(i == 0 ? "" : ",")
                        .append("{\"value\":\"")
                        .append(producer)
                        .append('-')
                        .append(sequence)
                        .append('-')
                        .append(i)
                        .append(PADDING)
                        .append("\"}");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/topics/flood"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            count(response);
            if (response.statusCode() == 200) {
                JsonNode offsets = ApiClient.JSON.readTree(response.body()).get("offsets");
                for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
                    JsonNode offset = offsets.get(i);
                    acknowledged.put(
                            offset.get("partition").intValue() + "/"
                                    + offset.get("offset").longValue(),
                            producer + "-" + sequence + "-" + i + PADDING);
                }
                sequence++;
            }
        }
        return null;
    }

    /** One reader: long-polls its partition again and again (from the end it last saw) until the flood ends. */
    private CompletableFuture<Void> readUntil(String base, int partition, long end) {
        if (System.nanoTime() >= end) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        base + "/topics/flood/partitions/" + partition + "/records?timeout=2000&max_bytes=65536"))
                .timeout(Duration.ofSeconds(60))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            count(response);
            return readUntil(base, partition, end);
        });
    }

    private void count(HttpResponse<String> response) {
        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                .incrementAndGet();
        if (response.statusCode() == 429
                && response.headers().firstValue("Retry-After").isEmpty()) {
            tooManyWithoutRetryAfter.incrementAndGet();
        }
    }

    private Void sampleRss(long end, AtomicLong maxKb) throws Exception {
        Path status = Path.of("/proc", Long.toString(server.pid()), "status");
        while (System.nanoTime() < end && Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    maxKb.accumulateAndGet(kb, Math::max);
                }
            }
            TimeUnit.MILLISECONDS.sleep(200); // a sampling interval, not synchronisation
        }
        return null;
    }

    private void assertEveryAcknowledgedRecordIsReadable(ApiClient api) {
        Map<String, String> stored = new ConcurrentHashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            long offset = 0;
            while (true) {
                JsonNode records = api.get("/topics/flood/partitions/" + partition + "/records?offset=" + offset
                                + "&max_bytes=4194304")
                        .expect(200);
                if (records.isEmpty()) {
                    break;
                }
                for (JsonNode record : records) {
                    offset = record.get("offset").longValue();
                    stored.put(partition + "/" + offset, record.get("value").stringValue());
                }
                offset++;
            }
        }
        assertThat(stored).containsAllEntriesOf(acknowledged);
    }
}
