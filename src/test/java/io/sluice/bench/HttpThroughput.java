package io.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small load client for a running Sluice (not a test): produce throughput with concurrent clients, then a
 * sequential read-back of every partition. Usage, against a server on localhost:8080 with a topic {@code bench} of
 * 4 partitions:
 *
 * <pre>
 * java -cp target/test-classes io.sluice.bench.HttpThroughput http://localhost:8080 bench 4 clients=4 requests=100 batch=1000
 * </pre>
 */
public final class HttpThroughput {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpThroughput() {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        int clients = intArg(args, "clients", 4);
        int requests = intArg(args, "requests", 100);
        int batch = intArg(args, "batch", 1000);
        produce(base, topic, clients, requests, batch);
        readBack(base, topic, partitions);
    }

    private static void produce(String base, String topic, int clients, int requests, int batch)
            throws InterruptedException {
        byte[] body = body(batch);
        long[] latencies = new long[clients * requests];
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                for (int i = 0; i < requests; i++) {
                    long began = System.nanoTime();
                    if (post(base + "/topics/" + topic, body) != 200) {
                        errors.incrementAndGet();
                    }
                    latencies[(int) next.getAndIncrement()] = System.nanoTime() - began;
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        long total = (long) clients * requests;
        System.out.printf(
                "produce: %d requests x %d records in %.2f s: %.0f requests/s, %.0f records/s, %.1f MB/s;"
                        + " p50 %.1f ms, p99 %.1f ms; %d errors%n",
                total,
                batch,
                seconds,
                total / seconds,
                total * batch / seconds,
                total * body.length / seconds / 1e6,
                latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6,
                errors.get());
    }

    private static void readBack(String base, String topic, int partitions) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long records = 0;
        long bytes = 0;
        for (int p = 0; p < partitions; p++) {
            long offset = 0;
            while (true) {
                String page = get(base + "/topics/" + topic + "/partitions/" + p + "/records?offset=" + offset
                        + "&max_records=1000&max_bytes=1048576");
                int last = page.lastIndexOf("\"offset\":");
                if (last < 0) {
                    break;
                }
                long lastOffset = Long.parseLong(page.substring(last + 9, page.indexOf(',', last)));
                records += lastOffset + 1 - offset;
                bytes += page.length();
                offset = lastOffset + 1;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "read: %d records in %.2f s: %.0f records/s, %.1f MB/s of JSON%n",
                records, seconds, records / seconds, bytes / seconds / 1e6);
    }

    private static byte[] body(int batch) {
        StringBuilder json = new StringBuilder("{\"records\":[");
        String value = "x".repeat(100);
        for (int i = 0; i < batch; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"k")
                    .append(i)
                    .append("\",\"value\":\"")
                    .append(value)
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int post(String url, byte[] body) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int intArg(String[] args, String name, int defaultValue) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return Integer.parseInt(arg.substring(name.length() + 1));
            }
        }
        return defaultValue;
    }
}
