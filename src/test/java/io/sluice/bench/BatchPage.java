package io.sluice.bench;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * A read answer in Kafka's record-batch format ({@code application/vnd.sluice.batches}), decoded the way Kafka's
 * consumer decodes a fetch: every batch's CRC checked, control batches skipped, every record walked, records below
 * the asked offset (the start of the first batch) skipped. Immutable.
 *
 * @param count records at or after the asked offset
 * @param valueBytes total length of their values
 * @param nextOffset where the next read starts: after the last batch ({@code from} if there was none)
 */
record BatchPage(int count, long valueBytes, long nextOffset) {

    static BatchPage decode(byte[] body, long from) {
        return decode(ByteBuffer.wrap(body), from);
    }

    static BatchPage decode(ByteBuffer body, long from) {
        int count = 0;
        long bytes = 0;
        long next = from;
        for (RecordBatch batch : MemoryRecords.readableRecords(body).batches()) {
            batch.ensureValid();
            next = batch.nextOffset();
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                if (record.offset() >= from) {
                    count++;
                    bytes += record.valueSize();
                }
            }
        }
        return new BatchPage(count, bytes, next);
    }
}
