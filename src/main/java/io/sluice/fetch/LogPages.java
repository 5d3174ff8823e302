package io.sluice.fetch;

import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.PartitionLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a partition read: the records at and after an offset, up to the request's byte and record limits,
 * without control batches; a record of a log-append-time batch carries the batch's time. Stateless.
 */
final class LogPages {

    private LogPages() {}

    static FetchResult read(PartitionLog log, FetchRequest request, long offset) {
        LogReadResult read = log.read(offset, request.maxBytes());
        List<FetchedRecord> records = new ArrayList<>();
        for (RecordBatch batch : read.verifiedBatches()) {
            if (batch.isControlBatch() || batch.lastOffset() < offset) {
                continue;
            }
            boolean appendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
            for (Record record : batch.records()) {
                if (record.offset() >= offset && records.size() < request.maxRecords()) {
                    long timestamp = appendTime ? batch.maxTimestamp() : record.timestamp();
                    records.add(new FetchedRecord(
                            record.offset(),
                            timestamp,
                            batch.timestampType(),
                            record.keyBytes(),
                            record.valueBytes(),
                            record.headers()));
                }
            }
        }
        return new FetchResult(
                request.topic(), request.partition(), records, read.logStartOffset(), read.highWatermark());
    }
}
