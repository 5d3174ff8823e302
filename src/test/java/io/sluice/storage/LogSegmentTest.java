package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentTest {

    @TempDir
    Path dir;

    private final LogConfig config = LogConfig.defaults().withIndexIntervalBytes(1);

    /** Appends a batch of one record per value at offset next; returns the next offset. */
    private static long append(LogSegment segment, long next, long timestamp, String... values) throws IOException {
        ByteBuffer buf = TestBatches.batch(timestamp, values);
        List<RecordBatch> batches = RecordBatches.split(buf);
        for (RecordBatch b : batches) {
            b.setBaseOffset(next);
            next = b.nextOffset();
        }
        segment.append(buf, batches, timestamp);
        return next;
    }

    @Test
    void appendedBatchesAreReadBackFromAnyOffsetInThem() throws IOException {
        LogSegment segment = LogSegment.create(dir, 40, config);
        long next = append(segment, 40, 1000, "a", "b");
        next = append(segment, next, 1001, "c");
        assertThat(next).isEqualTo(43);
        assertThat(TestBatches.values(segment.read(41, 1000, segment.size()).orElseThrow()))
                .containsExactly("a", "b", "c");
        assertThat(TestBatches.values(segment.read(42, 1000, segment.size()).orElseThrow()))
                .containsExactly("c");
        assertThat(segment.read(43, 1000, segment.size())).isEmpty();
        assertThat(segment.readNextOffset()).isEqualTo(43);
    }

    @Test
    void readNeverPassesMaxPosition() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, config);
        append(segment, 0, 1000, "a");
        int published = segment.size();
        append(segment, 1, 1000, "b");
        assertThat(TestBatches.values(segment.read(0, 1000, published).orElseThrow()))
                .containsExactly("a");
        assertThat(segment.read(1, 1000, published)).isEmpty();
    }

    @Test
    void indexGetsAnEntryPerIndexIntervalAndLookupStillFindsEveryOffset() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, LogConfig.defaults().withIndexIntervalBytes(200));
        long next = 0;
        for (int i = 0; i < 50; i++) {
            next = append(segment, next, 1000 + i, "value-" + i);
        }
        for (long offset = 0; offset < 50; offset++) {
            assertThat(segment.translateOffset(offset, segment.size())
                            .orElseThrow()
                            .baseOffset())
                    .isEqualTo(offset);
        }
    }

    @Test
    void findOffsetByTimestampReturnsTheFirstBatchReachingIt() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, config);
        append(segment, 0, 100, "a");
        append(segment, 1, 300, "b");
        append(segment, 2, 200, "c");
        append(segment, 3, 400, "d");
        assertThat(segment.findOffsetByTimestamp(50, segment.size())).hasValue(new TimestampOffset(100, 0));
        assertThat(segment.findOffsetByTimestamp(250, segment.size())).hasValue(new TimestampOffset(300, 1));
        assertThat(segment.findOffsetByTimestamp(301, segment.size())).hasValue(new TimestampOffset(400, 3));
        assertThat(segment.findOffsetByTimestamp(401, segment.size())).isEmpty();
        assertThat(segment.largestTimestamp()).isEqualTo(400);
    }

    @Test
    void truncateRemovesTheBatchesFromTheOffsetOn() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, config);
        long next = 0;
        for (int i = 0; i < 10; i++) {
            next = append(segment, next, 1000 + i, "v" + i);
        }
        int removed = segment.truncateTo(6);
        assertThat(removed).isPositive();
        assertThat(segment.readNextOffset()).isEqualTo(6);
        assertThat(segment.largestTimestamp()).isEqualTo(1005);
        append(segment, 6, 2000, "new");
        assertThat(TestBatches.values(segment.read(5, 1000, segment.size()).orElseThrow()))
                .containsExactly("v5", "new");
    }

    @Test
    void recoverCutsATornTailAndRebuildsTheIndexes() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, config);
        long next = 0;
        for (int i = 0; i < 5; i++) {
            next = append(segment, next, 1000 + i, "v" + i);
        }
        int whole = segment.size();
        segment.close();
        try (FileChannel ch = FileChannel.open(LogFiles.logFile(dir, 0), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 5, 0, 0}), whole);
        }
        LogSegment reopened = LogSegment.open(dir, 0, config, true);
        assertThat(reopened.recover(0, Integer.MAX_VALUE)).isEqualTo(10);
        assertThat(reopened.size()).isEqualTo(whole);
        assertThat(reopened.readNextOffset()).isEqualTo(5);
        assertThat(reopened.translateOffset(3, whole).orElseThrow().baseOffset())
                .isEqualTo(3);
    }

    @Test
    void closedSegmentHoldsNoFileHandleUntilRead() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, config);
        append(segment, 0, 1000, "a");
        segment.close();
        LogSegment reopened = LogSegment.open(dir, 0, config, false);
        assertThat(reopened.size()).isPositive();
        assertThat(TestBatches.values(reopened.read(0, 100, reopened.size()).orElseThrow()))
                .containsExactly("a");
    }
}
