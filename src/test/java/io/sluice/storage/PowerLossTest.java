package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import io.sluice.common.TopicPartition;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power loss with {@code flush.messages=1}: a seeded workload (appends, idempotent appends and their retries,
 * rolls, retention, checkpoints, clean closes and kill -9 restarts) runs on a {@link PowerCutDisk}; it is first
 * run through to count its disk operations, then rerun with the power cut before operation 1, 1+step, ... (so
 * in the middle of segment rolls, index writes, checkpoint and snapshot writes, recovery itself). What the cut
 * leaves is reopened and must hold every acknowledged record exactly once at its offset, with dense offsets;
 * the in-flight idempotent batch, retried, lands at most once; appends work after. Odd cut points use the
 * adversarial model (unsynced bytes and entries may also survive, whole or torn).
 */
class PowerLossTest {

    private static final TopicPartition PLAIN = new TopicPartition("plain", 0);
    private static final TopicPartition RETAINED = new TopicPartition("retained", 0);
    private static final long PRODUCER = 7;
    private static final int STEPS = 60;
    private static final int CUTS_PER_SEED = Integer.getInteger("sluice.powerloss.cuts", 25);
    private static final LogConfig CONFIG = LogConfig.defaults()
            .withFlushMessages(1)
            .withSegmentBytes(700)
            .withSegmentIndexBytes(48)
            .withIndexIntervalBytes(60);
    private static final LogConfig RETAINED_CONFIG = CONFIG.withRetentionBytes(1400);

    @TempDir
    Path base;

    /** What the workload was told was written, and the idempotent batch it has not had an answer for. */
    private static final class Model {
        final Map<TopicPartition, TreeMap<Long, String>> acked =
                Map.of(PLAIN, new TreeMap<>(), RETAINED, new TreeMap<>());
        int counter;
        long now;
        int sequence;
        List<String> pending;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void acknowledgedRecordsSurviveAPowerCutAtAnyDiskOperation(long seed) throws IOException {
        long total = countOperations(seed);
        long step = Math.max(1, total / CUTS_PER_SEED);
        int cuts = 0;
        for (long cut = 1; cut <= total; cut += step) {
            cutAndCheck(seed, cut, cut % 2 == 1);
            cuts++;
        }
        System.out.printf("power loss, seed %d: %d cuts over %d disk operations, all recovered%n", seed, cuts, total);
    }

    private long countOperations(long seed) throws IOException {
        Path dir = Files.createDirectories(base.resolve("count-" + seed));
        PowerCutDisk disk = new PowerCutDisk(dir, Long.MAX_VALUE);
        run(disk, dir, new Random(seed), new Model());
        return disk.operations();
    }

    private void cutAndCheck(long seed, long cut, boolean adversarial) throws IOException {
        String label = "seed " + seed + ", cut at operation " + cut + (adversarial ? " (adversarial)" : "");
        Path dir = Files.createDirectories(base.resolve("run-" + seed + "-" + cut));
        PowerCutDisk disk = new PowerCutDisk(dir, cut);
        Model model = new Model();
        try {
            run(disk, dir, new Random(seed), model);
        } catch (RuntimeException | IOException e) {
            if (!disk.isOff()) {
                throw new AssertionError(label + ": the workload failed before the cut", e);
            }
        }
        Path after = base.resolve("after-" + seed + "-" + cut);
        disk.powerOff(after, new Random(seed * 31 + cut), adversarial);
        try {
            checkRecovered(after, model);
        } catch (AssertionError | RuntimeException | IOException e) {
            throw new AssertionError(label + ": " + e.getMessage(), e);
        }
    }

    private void run(PowerCutDisk disk, Path dir, Random random, Model model) throws IOException {
        ManualClock clock = new ManualClock();
        LogManager manager = LogManager.open(disk, dir, CONFIG, clock, 1);
        for (int i = 0; i < STEPS; i++) {
            clock.advance(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            model.now = clock.milliseconds();
            int dice = random.nextInt(100);
            if (dice < 50) {
                appendPlain(manager, random.nextBoolean() ? PLAIN : RETAINED, 1 + random.nextInt(3), model);
            } else if (dice < 72) {
                appendIdempotent(manager, random.nextInt(3) == 0, model);
            } else if (dice < 78) {
                TopicPartition tp = random.nextBoolean() ? PLAIN : RETAINED;
                manager.getOrCreate(tp, configOf(tp)).roll();
            } else if (dice < 84) {
                manager.enforceRetention();
            } else if (dice < 92) {
                manager.flushDue();
            } else if (dice < 96) {
                manager.close();
                manager = LogManager.open(disk, dir, CONFIG, clock, 1);
            } else {
                // kill -9 without losing power: the old instance is abandoned, the page cache keeps its writes
                manager = LogManager.open(disk, dir, CONFIG, clock, 1);
            }
        }
        manager.close();
    }

    private static LogConfig configOf(TopicPartition tp) {
        return tp.equals(RETAINED) ? RETAINED_CONFIG : CONFIG;
    }

    private static void appendPlain(LogManager manager, TopicPartition tp, int count, Model model) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = tp.topic() + "-" + model.counter++;
        }
        AppendResult result =
                manager.getOrCreate(tp, configOf(tp)).appendAsLeader(TestBatches.batch(model.now, values), 0);
        for (int i = 0; i < count; i++) {
            model.acked.get(tp).put(result.firstOffset() + i, values[i]);
        }
    }

    /** Sends the unanswered batch again (as a client retrying would), or a new one; a retry may also be forced. */
    private static void appendIdempotent(LogManager manager, boolean retryLast, Model model) {
        if (model.pending == null) {
            if (retryLast && model.sequence > 0) {
                model.sequence--;
                model.pending = List.of("idem-" + model.sequence);
            } else {
                model.pending = List.of("idem-" + model.sequence);
            }
        }
        ByteBuffers.send(manager, model);
    }

    /** One attempt of the pending idempotent batch; on success the model records it at the offsets returned. */
    private static final class ByteBuffers {
        static void send(LogManager manager, Model model) {
            String[] values = model.pending.toArray(String[]::new);
            AppendResult result = manager.getOrCreate(PLAIN, CONFIG)
                    .appendAsLeader(TestBatches.idempotent(PRODUCER, (short) 0, model.sequence, model.now, values), 0);
            for (int i = 0; i < values.length; i++) {
                String previous = model.acked.get(PLAIN).put(result.firstOffset() + i, values[i]);
                assertThat(previous == null || previous.equals(values[i]))
                        .as(
                                "offset %d of %s answered twice with different records",
                                result.firstOffset() + i, values[i])
                        .isTrue();
            }
            model.sequence++;
            model.pending = null;
        }
    }

    private void checkRecovered(Path dir, Model model) throws IOException {
        ManualClock clock = new ManualClock();
        model.now = clock.milliseconds();
        try (LogManager manager = LogManager.open(dir, CONFIG, clock, 1)) {
            assertThat(manager.offlinePartitions()).as("offline partitions").isEmpty();
            for (TopicPartition tp : List.of(PLAIN, RETAINED)) {
                TreeMap<Long, String> acked = model.acked.get(tp);
                if (acked.isEmpty() && manager.get(tp).isEmpty()) {
                    continue;
                }
                PartitionLog log = manager.getOrCreate(tp, configOf(tp));
                checkLog(tp, log, acked);
            }
            if (model.pending != null || model.sequence > 0) {
                checkRetryLandsOnce(manager, model);
            }
            PartitionLog plain = manager.getOrCreate(PLAIN, CONFIG);
            long end = plain.logEndOffset();
            assertThat(plain.appendAsLeader(TestBatches.batch(model.now, "after"), 0)
                            .firstOffset())
                    .as("append after recovery")
                    .isEqualTo(end);
        }
    }

    private static void checkLog(TopicPartition tp, PartitionLog log, TreeMap<Long, String> acked) {
        TreeMap<Long, String> found = readAll(log);
        long start = log.logStartOffset();
        if (tp.equals(PLAIN)) {
            assertThat(start).as("log start of %s (no retention)", tp).isZero();
        }
        Set<String> seen = new HashSet<>();
        for (String v : found.values()) {
            assertThat(seen.add(v)).as("%s holds %s twice", tp, v).isTrue();
        }
        for (Map.Entry<Long, String> e : acked.tailMap(start).entrySet()) {
            assertThat(found.get(e.getKey()))
                    .as("acknowledged record at offset %d of %s", e.getKey(), tp)
                    .isEqualTo(e.getValue());
        }
    }

    /** Every record from the log start to the end, by offset; offsets must be dense. */
    private static TreeMap<Long, String> readAll(PartitionLog log) {
        TreeMap<Long, String> found = new TreeMap<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            for (RecordBatch batch : log.read(next, 64 * 1024).verifiedBatches()) {
                for (Record r : batch.records()) {
                    assertThat(r.offset()).as("offsets dense in %s", log).isEqualTo(next);
                    found.put(
                            r.offset(), StandardCharsets.UTF_8.decode(r.value()).toString());
                    next++;
                }
            }
        }
        return found;
    }

    /** The unanswered (or last) idempotent batch, retried after recovery, is in the log exactly once. */
    private static void checkRetryLandsOnce(LogManager manager, Model model) {
        if (model.pending == null) {
            model.sequence--;
            model.pending = List.of("idem-" + model.sequence);
        }
        String value = model.pending.get(0);
        ByteBuffers.send(manager, model);
        long copies = readAll(manager.getOrCreate(PLAIN, CONFIG)).values().stream()
                .filter(value::equals)
                .count();
        assertThat(copies).as("copies of %s after its retry", value).isEqualTo(1);
    }
}
