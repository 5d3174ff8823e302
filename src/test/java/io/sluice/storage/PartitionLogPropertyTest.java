package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.Record;
import io.sluice.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random runs of appends, reads, rolls, truncations, retention, timestamp lookups and restarts (clean and
 * crash-style) against a plain list as the model. A failure names the seed and step; rerun that seed to debug.
 */
class PartitionLogPropertyTest extends LogTestSupport {

    private final List<String> values = new ArrayList<>();
    private final List<Long> timestamps = new ArrayList<>();
    private long logStart;

    static LongStream seeds() {
        return LongStream.range(0, 25);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void logBehavesLikeAList(long seed) throws IOException {
        Random random = new Random(seed);
        LogConfig config = LogConfig.defaults()
                .withSegmentBytes(1800 + random.nextInt(3000))
                .withIndexIntervalBytes(random.nextInt(400))
                .withSegmentIndexBytes(48 + random.nextInt(2000))
                .withRetentionMs(-1);
        open(config);
        for (int step = 0; step < 150; step++) {
            String context = "seed " + seed + " step " + step;
            int op = random.nextInt(100);
            if (op < 55) {
                append(random, context);
            } else if (op < 75) {
                checkRead(random, context);
            } else if (op < 80) {
                log.roll();
            } else if (op < 84) {
                truncate(random);
            } else if (op < 87) {
                retain(random, config, context);
            } else if (op < 92) {
                checkTimestampLookup(random, context);
            } else if (op < 96) {
                reopenAfterClose(config);
            } else {
                reopenAfterCrash(config);
            }
            assertThat(log.logEndOffset()).as(context).isEqualTo(values.size());
            assertThat(log.logStartOffset()).as(context).isEqualTo(logStart);
        }
        assertThat(TestBatches.readAll(log, logStart))
                .as("seed " + seed)
                .isEqualTo(values.subList((int) logStart, values.size()));
    }

    private void append(Random random, String context) {
        int count = 1 + random.nextInt(random.nextBoolean() ? 3 : 20);
        RecordBatchBuilder builder = new RecordBatchBuilder();
        List<String> added = new ArrayList<>();
        List<Long> addedTimestamps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = "v" + (values.size() + i) + "-" + "x".repeat(random.nextInt(60));
            long timestamp = 1_000 + random.nextInt(10_000);
            builder.append(timestamp, (byte[]) null, value.getBytes(StandardCharsets.UTF_8), List.of());
            added.add(value);
            addedTimestamps.add(timestamp);
        }
        AppendResult result = log.appendAsLeader(builder.build().buffer(), 0);
        assertThat(result.firstOffset()).as(context).isEqualTo(values.size());
        assertThat(result.recordCount()).as(context).isEqualTo(count);
        values.addAll(added);
        timestamps.addAll(addedTimestamps);
    }

    private void checkRead(Random random, String context) {
        if (values.size() == logStart) {
            assertThat(log.read(logStart, 100).records().sizeInBytes())
                    .as(context)
                    .isZero();
            return;
        }
        long offset = logStart + random.nextInt((int) (values.size() - logStart));
        List<Record> records =
                TestBatches.records(log.read(offset, random.nextInt(2000)).records());
        assertThat(records).as(context).isNotEmpty();
        assertThat(records.get(0).offset()).as(context).isLessThanOrEqualTo(offset);
        for (Record r : records) {
            String value = StandardCharsets.UTF_8.decode(r.value()).toString();
            assertThat(value).as(context + " offset " + r.offset()).isEqualTo(values.get((int) r.offset()));
            assertThat(r.timestamp()).as(context).isEqualTo(timestamps.get((int) r.offset()));
        }
        assertThat(records.get(records.size() - 1).offset()).as(context).isGreaterThanOrEqualTo(offset);
    }

    private void truncate(Random random) {
        if (values.size() == logStart) {
            return;
        }
        long target = logStart + random.nextInt((int) (values.size() - logStart) + 1);
        log.truncateTo(target);
        // truncation is at batch boundaries: the log tells where the boundary at or below target was
        long end = log.logEndOffset();
        assertThat(end).isLessThanOrEqualTo(target);
        values.subList((int) end, values.size()).clear();
        timestamps.subList((int) end, timestamps.size()).clear();
        if (end < logStart) {
            logStart = end;
        }
    }

    private void retain(Random random, LogConfig config, String context) {
        log.updateConfig(config.withRetentionBytes(random.nextInt(3000)));
        log.deleteOldSegments();
        long newStart = log.logStartOffset();
        assertThat(newStart).as(context).isGreaterThanOrEqualTo(logStart).isLessThanOrEqualTo(values.size());
        logStart = newStart;
        log.updateConfig(config);
    }

    private void checkTimestampLookup(Random random, String context) {
        long target = 900 + random.nextInt(10_300);
        Optional<TimestampOffset> expected = Optional.empty();
        for (int offset = (int) logStart; offset < values.size(); offset++) {
            if (timestamps.get(offset) >= target) {
                expected = Optional.of(new TimestampOffset(timestamps.get(offset), offset));
                break;
            }
        }
        assertThat(log.offsetForTimestamp(target))
                .as(context + " timestamp " + target)
                .isEqualTo(expected);
    }
}
