package io.sluice.storage;

import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import java.io.IOException;
import java.util.Optional;

/**
 * The read side of a partition log: lock-free reads bounded by a {@link HighWatermark} snapshot. Callers check
 * the offset range first. Stateless; safe to call from any number of threads while the writer appends.
 */
final class LogReader {

    private LogReader() {}

    /** Whole batches from the one holding offset, within maxBytes except for the first one; empty at the end. */
    static FileSlice read(LogSegments segments, HighWatermark hw, long offset, int maxBytes) throws IOException {
        Optional<LogSegment> segment = segments.floor(offset);
        while (segment.isPresent() && hw.covers(segment.get())) {
            LogSegment s = segment.get();
            Optional<FileSlice> slice = s.read(offset, Math.max(0, maxBytes), hw.maxPosition(s));
            if (slice.isPresent()) {
                return slice.get();
            }
            segment = segments.higher(s.baseOffset());
        }
        return FileSlice.empty();
    }

    /**
     * The first record with a timestamp at least the given one. Segments whose largest timestamp is below it are
     * skipped without reading; in the first other one the time index points near the batch, whose records are
     * then decoded to find the exact offset.
     */
    static Optional<TimestampOffset> offsetForTimestamp(LogSegments segments, HighWatermark hw, long timestamp)
            throws IOException {
        for (LogSegment s : segments.all()) {
            if (!hw.covers(s)) {
                break;
            }
            boolean sealed = s.baseOffset() < hw.segmentBaseOffset();
            if (sealed && s.largestTimestamp() < timestamp) {
                continue;
            }
            Optional<TimestampOffset> batch = s.findOffsetByTimestamp(timestamp, hw.maxPosition(s));
            if (batch.isPresent()) {
                return Optional.of(firstRecordAtOrAfter(s, batch.get(), timestamp, hw.maxPosition(s)));
            }
        }
        return Optional.empty();
    }

    private static TimestampOffset firstRecordAtOrAfter(
            LogSegment s, TimestampOffset batch, long timestamp, long maxPosition) throws IOException {
        Optional<LogSegment.BatchPosition> where = s.translateOffset(batch.offset(), maxPosition);
        if (where.isEmpty()) {
            return batch;
        }
        RecordBatch full = s.readBatch(where.get());
        if (full.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return new TimestampOffset(full.maxTimestamp(), full.baseOffset());
        }
        for (Record record : full.records()) {
            if (record.timestamp() >= timestamp) {
                return new TimestampOffset(record.timestamp(), record.offset());
            }
        }
        return batch;
    }
}
