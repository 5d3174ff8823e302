package io.sluice.storage;

import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds batches for storage tests and reads values back out of read results. */
final class TestBatches {

    private TestBatches() {}

    static ByteBuffer batch(long timestamp, String... values) {
        return build(new RecordBatchBuilder(), timestamp, values);
    }

    static ByteBuffer idempotent(long producerId, short epoch, int baseSequence, long timestamp, String... values) {
        return build(new RecordBatchBuilder().producer(producerId, epoch, baseSequence), timestamp, values);
    }

    private static ByteBuffer build(RecordBatchBuilder builder, long timestamp, String... values) {
        for (String v : values) {
            builder.append(timestamp, (byte[]) null, v.getBytes(StandardCharsets.UTF_8), List.of());
        }
        return builder.build().buffer();
    }

    /** A batch of count records with values of valueSize bytes. */
    static ByteBuffer sized(int count, int valueSize, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        byte[] value = new byte[valueSize];
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, (byte[]) null, value, List.of());
        }
        return builder.build().buffer();
    }

    /** Several batches laid end to end in one buffer. */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    static List<RecordBatch> batches(FileSlice slice) {
        return RecordBatches.split(slice.readFully());
    }

    static List<Record> records(FileSlice slice) {
        List<Record> records = new ArrayList<>();
        for (RecordBatch b : batches(slice)) {
            records.addAll(b.records());
        }
        return records;
    }

    static List<String> values(FileSlice slice) {
        List<String> values = new ArrayList<>();
        for (Record r : records(slice)) {
            values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
        }
        return values;
    }

    /** Every value from offset to the end of the log. */
    static List<String> readAll(PartitionLog log, long from) {
        List<String> values = new ArrayList<>();
        long offset = from;
        while (offset < log.highWatermark()) {
            FileSlice slice = log.read(offset, 64 * 1024).records();
            for (Record r : records(slice)) {
                if (r.offset() >= offset) {
                    values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
                }
            }
            List<RecordBatch> bs = batches(slice);
            offset = bs.get(bs.size() - 1).nextOffset();
        }
        return values;
    }
}
