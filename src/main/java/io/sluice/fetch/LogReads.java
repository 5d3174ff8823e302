package io.sluice.fetch;

import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.ReadBuffer;
import io.sluice.storage.ReadBuffers;

/**
 * The two shapes a read's answer takes from the batches the log returned: the records in place (for the JSON renderings,
 * the WebSocket and group reads) or the stored batches themselves (for clients that decode Kafka's format). Both
 * only ever hand out batches that passed their CRC check ({@link LogReadResult#verifiedBatches()}). Stateless.
 */
final class LogReads {

    private LogReads() {}

    /** The records at or after {@code offset}, at most {@code maxRecords}, control batches skipped. */
    static FetchResult records(LogReadResult read, FetchRequest request, long offset) {
        return new FetchResult(
                request.topic(),
                request.partition(),
                StoredRecords.of(read.verifiedBatches(), offset, request.maxRecords()),
                read.logStartOffset(),
                read.highWatermark());
    }

    /**
     * The verified batches holding {@code offset} and after, in one buffer from {@code buffers}; {@code maxRecords}
     * does not apply. The log's slice starts at the batch holding {@code offset}, so no batch lies wholly below it.
     */
    static FetchedBatches batches(LogReadResult read, FetchRequest request, long offset, ReadBuffers buffers) {
        ReadBuffer bytes = read.verifiedBytes(buffers);
        int records = 0;
        long next = offset;
        for (RecordBatch batch : RecordBatches.split(bytes.bytes())) {
            records += batch.recordCount();
            next = batch.nextOffset();
        }
        return new FetchedBatches(
                request.topic(),
                request.partition(),
                bytes,
                records,
                next,
                read.logStartOffset(),
                read.highWatermark());
    }
}
