package io.sluice.fetch;

import io.sluice.record.BatchRecords;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordView;
import io.sluice.record.RecordVisitor;
import java.util.ArrayList;
import java.util.List;

/**
 * The records a read returns, left where they were read: the stored batches (CRC-checked, uncompressed once) and the
 * run of records in them that is the answer, from {@code from} on, {@code count} of them, control batches skipped.
 * Renderers walk them in place with {@link #forEach}, so an answer costs no object or copy per record; the count, the
 * next offset and the payload bytes are known up front, from one walk at read time that also checks every record's
 * structure (so a malformed record fails the read, not the rendering).
 *
 * <p>Immutable; may be walked by several threads at once (waiters at the same position share one read).
 *
 * @param batches the non-control batches holding the run, in offset order
 * @param from the first offset of the run (records below it in the first batch are not part of it)
 * @param count records in the run
 * @param nextOffset after the run's last record; meaningless when {@code count} is 0
 * @param payloadBytes key, value and header bytes of the run ({@link RecordView#payloadBytes()})
 */
public record StoredRecords(List<BatchRecords> batches, long from, int count, long nextOffset, long payloadBytes) {

    public static final StoredRecords NONE = new StoredRecords(List.of(), 0, 0, 0, 0);

    public StoredRecords {
        batches = List.copyOf(batches);
    }

    /** The run of at most {@code maxRecords} records at or after {@code from} in {@code verified}. */
    public static StoredRecords of(List<RecordBatch> verified, long from, int maxRecords) {
        List<BatchRecords> batches = new ArrayList<>();
        Count run = new Count(from, maxRecords);
        RecordView view = new RecordView();
        for (RecordBatch batch : verified) {
            if (run.count >= maxRecords) {
                break;
            }
            if (batch.isControlBatch() || batch.lastOffset() < from) {
                continue;
            }
            BatchRecords records = batch.uncompressed();
            batches.add(records);
            records.forEach(view, run);
        }
        return run.count == 0 ? NONE : new StoredRecords(batches, from, run.count, run.next, run.bytes);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Moves {@code view} over the run's records in order until {@code visitor} says stop. */
    public void forEach(RecordView view, RecordVisitor visitor) {
        Walk walk = new Walk(visitor);
        for (BatchRecords batch : batches) {
            if (!batch.forEach(view, walk)) {
                return;
            }
        }
    }

    /** Copies of the run's records, for readers that keep them (off the hot path). */
    public List<FetchedRecord> decode() {
        List<FetchedRecord> records = new ArrayList<>(count);
        forEach(new RecordView(), record -> {
            records.add(new FetchedRecord(
                    record.offset(),
                    record.timestamp(),
                    record.timestampType(),
                    record.key(),
                    record.value(),
                    record.headers()));
            return true;
        });
        return records;
    }

    /** Counts the run while the read makes it: records at or after {@code from}, up to {@code max}. */
    private static final class Count implements RecordVisitor {
        private final long from;
        private final int max;
        private int count;
        private long next;
        private long bytes;

        Count(long from, int max) {
            this.from = from;
            this.max = max;
        }

        @Override
        public boolean record(RecordView record) {
            if (record.offset() < from) {
                return true;
            }
            count++;
            next = record.offset() + 1;
            bytes += record.payloadBytes();
            return count < max;
        }
    }

    /** Hands the run's records (not those below {@code from}, none past {@code count}) to a visitor. */
    private final class Walk implements RecordVisitor {
        private final RecordVisitor visitor;
        private int left = count;

        Walk(RecordVisitor visitor) {
            this.visitor = visitor;
        }

        @Override
        public boolean record(RecordView record) {
            if (record.offset() < from) {
                return true;
            }
            left--;
            return visitor.record(record) && left > 0;
        }
    }
}
