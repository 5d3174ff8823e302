package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Crash loop: a real Sluice process is killed with {@code kill -9} at random moments while producers write (each
 * request carrying an Idempotency-Key, retried with the same key after every failure until it is answered) and a
 * group consumer reads and commits; it is restarted on the same data dir each time. At the end every acknowledged
 * record is in the log exactly once at the offset it was acknowledged with, offsets are dense, each key's records
 * are in the order they were sent, and the committed group offsets never went backwards and never pointed past
 * the log end. {@code -Dsluice.crashloop.kills=N} (default 20; 200 for a soak run).
 */
class CrashLoopIT {

    private static final int KILLS = Integer.getInteger("sluice.crashloop.kills", 20);
    private static final long SEED = Long.getLong("sluice.crashloop.seed", 11);
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 3;
    private static final int PRODUCERS = 3;
    private static final String GROUP = "crash-group";

    @TempDir
    Path dataDir;

    /** One producer: its sequence and the request it has not had an answer for. */
    private static final class Producer {
        final int id;
        int seq;
        String pendingBody;
        String pendingKey;

        Producer(int id) {
            this.id = id;
        }
    }

    private record Acked(int partition, long offset) {}

    private final Map<String, Acked> acked = new ConcurrentHashMap<>();
    private final Map<Integer, Long> committed = new ConcurrentHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger acks = new AtomicInteger();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final AtomicInteger commitsChecked = new AtomicInteger();

    @Test
    void acknowledgedRecordsAndCommittedOffsetsSurviveRepeatedKillNine() throws Exception {
        Random random = new Random(SEED);
        List<Producer> producers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            producers.add(new Producer(i));
        }
        try (SluiceProcess sluice = new SluiceProcess(dataDir)) {
            ApiClient api = sluice.start();
            api.postJson("/topics", "{\"name\":\"" + TOPIC + "\",\"partitions\":" + PARTITIONS + "}")
                    .expect(201);
            for (int kill = 0; kill < KILLS; kill++) {
                runUntilKilled(sluice, api, producers, 3 + random.nextInt(40), 1 + random.nextInt(4));
                api = sluice.start();
            }
            for (Producer p : producers) {
                retryPending(api, p);
            }
            checkLog(api);
        } finally {
            clients.shutdownNow();
        }
        System.out.printf(
                "crash loop: %d kill -9 survived, %d acknowledged records checked, %d committed offsets checked%n",
                KILLS, acked.size(), commitsChecked.get());
        assertThat(violations).isEmpty();
        assertThat(committed.values()).as("the consumer committed progress").anyMatch(offset -> offset > 0);
    }

    /**
     * Producers and a consumer run until the acknowledged requests grew by target and the consumer checked its
     * committed offsets commitChecks times (the kill lands wherever they all are then); then kill -9.
     */
    private void runUntilKilled(
            SluiceProcess sluice, ApiClient api, List<Producer> producers, int target, int commitChecks)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (Producer p : producers) {
            tasks.add(CompletableFuture.runAsync(() -> produce(api, p, stop), clients));
        }
        tasks.add(CompletableFuture.runAsync(() -> consume(api, stop), clients));
        int goal = acks.get() + target;
        int commitGoal = commitsChecked.get() + commitChecks * PARTITIONS;
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> (acks.get() >= goal && commitsChecked.get() >= commitGoal) || anyDone(tasks));
        sluice.killNine();
        stop.set(true);
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .until(() -> tasks.stream().allMatch(CompletableFuture::isDone));
    }

    private static boolean anyDone(List<CompletableFuture<Void>> tasks) {
        return tasks.stream().anyMatch(t -> t.isDone() && t.isCompletedExceptionally());
    }

    /** Sends (first the unanswered request again, with its key) until a request fails or stop is set. */
    private void produce(ApiClient api, Producer p, AtomicBoolean stop) {
        while (!stop.get()) {
            if (p.pendingBody == null) {
                int count = 1 + p.seq % 3;
                StringBuilder body = new StringBuilder("{\"records\":[");
                for (int i = 0; i < count; i++) {
                    String key = "k" + p.id + "-" + (p.seq % 4);
                    body.append(i == 0 ? "" : ",")
                            .append("{\"key\":\"")
                            .append(key)
                            .append("\",\"value\":\"")
                            .append(value(p.id, p.seq, i))
                            .append("\"}");
                }
                p.pendingBody = body.append("]}").toString();
                p.pendingKey = "p" + p.id + "-" + p.seq;
            }
            if (!send(api, p)) {
                return;
            }
        }
    }

    private static String value(int producer, int seq, int index) {
        return "p" + producer + "-" + seq + "-" + index;
    }

    /** One attempt; true if answered (and recorded). */
    private boolean send(ApiClient api, Producer p) {
        ApiClient.Response response;
        try {
            response = api.sendUnchecked(
                    "POST",
                    "/topics/" + TOPIC,
                    "application/json",
                    p.pendingBody.getBytes(StandardCharsets.UTF_8),
                    "Idempotency-Key",
                    p.pendingKey);
        } catch (RuntimeException e) {
            return false;
        }
        if (response.status() != 200) {
            return false;
        }
        JsonNode offsets = response.json().get("offsets");
        for (int i = 0; i < offsets.size(); i++) {
            JsonNode o = offsets.get(i);
            Acked now = new Acked(o.get("partition").intValue(), o.get("offset").longValue());
            Acked before = acked.putIfAbsent(value(p.id, p.seq, i), now);
            if (before != null && !before.equals(now)) {
                violation("retry of " + p.pendingKey + " answered " + now + ", first answer was " + before);
            }
        }
        acks.incrementAndGet();
        p.seq++;
        p.pendingBody = null;
        return true;
    }

    private void retryPending(ApiClient api, Producer p) {
        if (p.pendingBody != null) {
            assertThat(send(api, p))
                    .as("retry of %s after the last restart", p.pendingKey)
                    .isTrue();
        }
    }

    /** A group member that reads, commits what it read and checks the committed offsets, until a request fails. */
    private void consume(ApiClient api, AtomicBoolean stop) {
        try {
            String base = "/consumers/" + GROUP + "/instances/c1";
            int created = post(
                            api,
                            "/consumers/" + GROUP,
                            "{\"name\":\"c1\",\"auto.offset.reset\":\"earliest\","
                                    + "\"auto.commit.enable\":\"false\"}")
                    .status();
            if (created >= 300 && created != 409) {
                return;
            }
            if (post(api, base + "/subscription", "{\"topics\":[\"" + TOPIC + "\"]}")
                            .status()
                    >= 300) {
                return;
            }
            while (!stop.get()) {
                if (get(api, base + "/records?timeout=200&max_records=50").status() != 200
                        || post(api, base + "/offsets", "").status() >= 300) {
                    return;
                }
                checkCommitted(api, base);
            }
        } catch (RuntimeException | AssertionError e) {
            // the kill cut a request: this member is gone with the process
        }
    }

    private static ApiClient.Response post(ApiClient api, String path, String json) {
        return api.sendUnchecked("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiClient.Response get(ApiClient api, String path) {
        return api.sendUnchecked("GET", path, null, null);
    }

    private void checkCommitted(ApiClient api, String base) {
        ApiClient.Response response = get(api, base + "/offsets");
        if (response.status() != 200) {
            return;
        }
        Map<Integer, Long> ends = endOffsets(api);
        for (JsonNode o : response.json().get("offsets")) {
            int partition = o.get("partition").intValue();
            long offset = o.get("offset").longValue();
            Long previous = committed.put(partition, offset);
            if (previous != null && offset < previous) {
                violation(
                        "committed offset of partition " + partition + " went back from " + previous + " to " + offset);
            }
            if (offset > ends.getOrDefault(partition, Long.MAX_VALUE)) {
                violation("committed offset " + offset + " of partition " + partition + " is past the log end");
            }
            commitsChecked.incrementAndGet();
        }
    }

    private static Map<Integer, Long> endOffsets(ApiClient api) {
        Map<Integer, Long> ends = new HashMap<>();
        for (JsonNode partition : api.get("/topics/" + TOPIC + "/partitions").expect(200)) {
            ends.put(
                    partition.get("partition").intValue(),
                    partition.get("end_offset").longValue());
        }
        return ends;
    }

    /** Reads every partition from 0 and checks density, exactly-once, acknowledged offsets and per-key order. */
    private void checkLog(ApiClient api) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> lastSeqOfKey = new HashMap<>();
        Map<Integer, Long> ends = endOffsets(api);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            TreeMap<Long, String> log = readPartition(api, partition, ends.get(partition));
            for (Map.Entry<Long, String> e : log.entrySet()) {
                String value = e.getValue();
                if (seen.merge(value, 1, Integer::sum) > 1) {
                    violation(value + " is in the log twice");
                }
                String[] parts = value.split("-");
                String key = "k" + parts[0].substring(1) + "-" + (Integer.parseInt(parts[1]) % 4);
                int seq = Integer.parseInt(parts[1]);
                Integer last = lastSeqOfKey.put(key, seq);
                if (last != null && last > seq) {
                    violation("key " + key + ": " + value + " after sequence " + last);
                }
            }
            for (Map.Entry<String, Acked> a : acked.entrySet()) {
                if (a.getValue().partition() == partition
                        && !a.getKey().equals(log.get(a.getValue().offset()))) {
                    violation("acknowledged " + a.getKey() + " at " + a.getValue() + " but found "
                            + log.get(a.getValue().offset()));
                }
            }
        }
        committed.forEach((partition, offset) -> {
            if (offset > ends.get(partition)) {
                violation("final committed offset " + offset + " of partition " + partition + " is past the end");
            }
        });
    }

    private TreeMap<Long, String> readPartition(ApiClient api, int partition, long end) {
        TreeMap<Long, String> log = new TreeMap<>();
        long next = 0;
        while (next < end) {
            JsonNode records = api.get("/topics/" + TOPIC + "/partitions/" + partition + "/records?offset=" + next
                            + "&max_records=500")
                    .expect(200);
            for (JsonNode r : records) {
                long offset = r.get("offset").longValue();
                if (offset != next) {
                    violation("partition " + partition + ": offset " + offset + " where " + next + " was expected");
                }
                log.put(offset, r.get("value").stringValue());
                next = offset + 1;
            }
        }
        return log;
    }

    private synchronized void violation(String what) {
        if (violations.size() < 50) {
            violations.add(what);
        }
    }
}
