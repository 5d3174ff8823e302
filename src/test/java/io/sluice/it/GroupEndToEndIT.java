package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The issue's end-to-end test over HTTP: one group on a 6-partition topic, 100,000 keyed records produced while the
 * group consumes, instances joining, leaving and silently dying (lease expiry, 3 s) mid-stream, each committing what
 * it processed. Checks: every record delivered at least once; per key, values strictly increase within each delivery
 * stream (one instance in one generation); committed offsets never decrease; the final lag is 0.
 */
class GroupEndToEndIT extends GroupServerIT {

    private static final int RECORDS = 100_000;
    private static final int KEYS = 500;
    private static final int PARTITIONS = 6;
    private static final int PER_REQUEST = 10_000;

    private final BitSet delivered = new BitSet(RECORDS);
    private final AtomicInteger deliveredCount = new AtomicInteger();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> committedSeen = new ConcurrentHashMap<>();
    private final AtomicInteger rejoins = new AtomicInteger();

    @Test
    void groupDeliversEveryRecordThroughJoinsLeavesAndDeaths() throws Exception {
        String topic = createTopic("e2e", PARTITIONS, "{}");
        String group = name("e2e-group");
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            for (int from = 0; from < RECORDS; from += PER_REQUEST) {
                new Consumers(new ApiClient(port)).produce(topic, from, PER_REQUEST, KEYS);
            }
        });
        producer.start();

        Worker a = Worker.start(this, group, topic, "a");
        Worker b = Worker.start(this, group, topic, "b");
        Thread monitor = new Thread(() -> watchCommits(group));
        monitor.setDaemon(true);
        monitor.start();
        awaitDelivered(15_000);
        Worker c = Worker.start(this, group, topic, "c"); // joins
        awaitDelivered(35_000);
        b.leave(); // leaves cleanly: DELETE
        Worker b2 = Worker.start(this, group, topic, "b2");
        awaitDelivered(55_000);
        a.die(); // stops calling: its lease runs out and its partitions move
        Worker a2 = Worker.start(this, group, topic, "a2");
        producer.join();
        await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> deliveredCount.get() == RECORDS
                        && consumers.describe(group).get("total_lag").longValue() == 0);
        double seconds = (System.nanoTime() - start) / 1e9;

        for (Worker w : List.of(c, b2, a2)) {
            w.leave();
        }
        monitor.interrupt();
        monitor.join();
        JsonNode view = consumers.describe(group);
        System.out.printf(
                "group e2e: %d records, %d deliveries (%.1f%% redelivered) in %.1f s = %.0f records/s, generation %d,"
                        + " %d unplanned re-joins%n",
                RECORDS,
                deliveries.get(),
                100.0 * (deliveries.get() - RECORDS) / RECORDS,
                seconds,
                RECORDS / seconds,
                view.get("generation").intValue(),
                rejoins.get());
        assertThat(violations).isEmpty();
        assertThat(committedSeen).as("the commit watcher saw every partition").hasSize(PARTITIONS);
        assertThat(delivered.cardinality()).isEqualTo(RECORDS);
        assertThat(view.get("total_lag").longValue()).isZero();
        assertThat(view.get("partitions"))
                .hasSize(PARTITIONS)
                .allSatisfy(p -> assertThat(p.get("committed_offset").longValue())
                        .isEqualTo(p.get("log_end_offset").longValue()));
        assertThat(view.get("generation").intValue())
                .as("joins, leaves and the expiry each made a generation")
                .isGreaterThanOrEqualTo(6);
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.listedIn(consumers.describe(group)));
        assertThat(a.expiredAfterDeath()).isTrue();
    }

    private void awaitDelivered(int atLeast) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> deliveredCount.get() >= atLeast);
    }

    /** Records what a read returned; checks per-key order within the delivery stream. */
    private synchronized void delivered(Map<String, Integer> stream, JsonNode records) {
        for (JsonNode record : records) {
            int value = record.get("value").intValue();
            String key = record.get("key").stringValue();
            Integer last = stream.put(key, value);
            if (last != null && last >= value) {
                violations.add("key " + key + ": " + value + " after " + last + " in one stream");
            }
            if (!delivered.get(value)) {
                delivered.set(value);
                deliveredCount.incrementAndGet();
            }
            deliveries.incrementAndGet();
        }
    }

    /** Polls the group's committed offsets; any decrease is a violation. */
    private void watchCommits(String group) {
        ApiClient own = new ApiClient(port);
        while (!Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(50_000_000L); // pacing only, so the watcher does not take a core of its own
            JsonNode view;
            try {
                view = own.get("/consumers/" + group).expect(200);
            } catch (IllegalStateException interrupted) {
                return; // the test ended while a request was under way
            } catch (AssertionError e) {
                violations.add("describing the group failed: " + e.getMessage());
                return;
            }
            for (JsonNode p : view.get("partitions")) {
                if (p.get("committed_offset").isNull()) {
                    continue;
                }
                long offset = p.get("committed_offset").longValue();
                Long before = committedSeen.put(p.get("partition").intValue(), offset);
                if (before != null && before > offset) {
                    violations.add("committed offset of partition " + p.get("partition") + " went from " + before
                            + " to " + offset);
                }
            }
        }
    }

    /** One consumer instance driven by its own thread: read, process, commit explicitly, repeat. */
    private static final class Worker implements Runnable {

        private final GroupEndToEndIT test;
        private final String group;
        private final String topic;
        private final Consumers consumers;
        private volatile String name;
        private final Thread thread;
        private volatile boolean stop;
        private volatile boolean leave;

        private Worker(GroupEndToEndIT test, String group, String topic, String name) {
            this.test = test;
            this.group = group;
            this.topic = topic;
            this.name = name;
            this.consumers = new Consumers(new ApiClient(test.port));
            consumers.create(group, name, "earliest");
            consumers.subscribe(group, name, topic);
            this.thread = new Thread(this, "worker-" + name);
        }

        static Worker start(GroupEndToEndIT test, String group, String topic, String name) {
            Worker worker = new Worker(test, group, topic, name);
            worker.thread.start();
            return worker;
        }

        @Override
        public void run() {
            Map<String, Map<String, Integer>> streams = new HashMap<>();
            while (!stop) {
                ApiClient.Response read = consumers.read(group, name, 500, 2000);
                if (read.status() == 404 && !stop) {
                    // a stall longer than the lease (a loaded machine) expired this live instance: re-join
                    test.rejoins.incrementAndGet();
                    name = name.replaceAll("\\.rejoin\\d+$", "") + ".rejoin" + test.rejoins.get(); // a valid instance name
                    consumers.create(group, name, "earliest");
                    consumers.subscribe(group, name, topic);
                    continue;
                }
                if (read.status() != 200) {
                    test.violations.add(name + " read failed: " + read.status() + " " + read.text());
                    return;
                }
                JsonNode records = read.json();
                if (records.isEmpty()) {
                    continue;
                }
                String generation = read.headers().get("sluice-generation").get(0);
                test.delivered(streams.computeIfAbsent(name + "@" + generation, g -> new HashMap<>()), records);
                commit(records);
            }
            if (leave) {
                consumers.delete(group, name).expect(204);
            }
        }

        private void commit(JsonNode records) {
            Map<Integer, Long> last = new HashMap<>();
            String topic = records.get(0).get("topic").stringValue();
            for (JsonNode record : records) {
                last.merge(
                        record.get("partition").intValue(), record.get("offset").longValue(), Math::max);
            }
            List<String> offsets = new ArrayList<>();
            last.forEach((p, o) ->
                    offsets.add("{\"topic\":\"" + topic + "\",\"partition\":" + p + ",\"offset\":" + o + "}"));
            ApiClient.Response committed = consumers.commit(group, name, "[" + String.join(",", offsets) + "]");
            // 409: a rebalance took a partition away meanwhile; its new owner re-reads from the last commit
            if (committed.status() != 200 && committed.status() != 409) {
                test.violations.add(name + " commit failed: " + committed.status() + " " + committed.text());
            }
        }

        void leave() throws InterruptedException {
            leave = true;
            stop = true;
            thread.join();
        }

        void die() throws InterruptedException {
            stop = true;
            thread.join();
        }

        boolean listedIn(JsonNode view) {
            for (JsonNode member : view.get("members")) {
                if (member.get("instance_id").stringValue().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        /** After {@link #die()} and removal: the coordinator says the lease ran out. */
        boolean expiredAfterDeath() {
            return consumers.read(group, name, 0).expectError(404, 40403).contains("expired");
        }
    }
}
