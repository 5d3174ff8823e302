package io.sluice.stream;

import io.sluice.common.TopicPartition;
import io.sluice.fetch.FetchRequest;
import io.sluice.fetch.FetchService;
import io.sluice.fetch.FetchedRecord;
import io.sluice.topic.TopicService;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link LogAccess} over the broker's services: bounds from the topic service's in-memory logs, reads through the
 * fetch service (on its storage executor, without waiting), wake-ups from {@link AppendSignals}. Thread-safe.
 */
public final class BrokerLogAccess implements LogAccess {

    private final TopicService topics;
    private final FetchService fetch;
    private final AppendSignals signals;

    public BrokerLogAccess(TopicService topics, FetchService fetch, AppendSignals signals) {
        this.topics = topics;
        this.fetch = fetch;
        this.signals = signals;
    }

    @Override
    public int partitionCount(String topic) {
        return topics.partitionCount(topic);
    }

    @Override
    public long logStartOffset(TopicPartition tp) {
        return topics.log(tp.topic(), tp.partition()).logStartOffset();
    }

    @Override
    public long highWatermark(TopicPartition tp) {
        return topics.log(tp.topic(), tp.partition()).highWatermark();
    }

    @Override
    public CompletableFuture<List<StreamRecord>> read(TopicPartition tp, long offset, int maxRecords, int maxBytes) {
        long from = Math.max(offset, logStartOffset(tp));
        // decoded on the storage thread that read them, never on the caller's (a stream's event loop, at its start)
        return fetch.read(
                new FetchRequest(tp.topic(), tp.partition(), from, maxBytes, maxRecords, 0),
                result -> result.records().decode().stream()
                        .map(record -> toStreamRecord(tp, record))
                        .toList(),
                records -> {});
    }

    @Override
    public long offsetForTimestamp(TopicPartition tp, long timestamp) {
        return fetch.offsets(tp.topic(), tp.partition(), Optional.of(timestamp)).offset();
    }

    @Override
    public CompletableFuture<Void> awaitAppend(TopicPartition tp, long offset) {
        return signals.await(tp, offset);
    }

    private static StreamRecord toStreamRecord(TopicPartition tp, FetchedRecord record) {
        return new StreamRecord(
                tp.topic(),
                tp.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                record.value(),
                record.headers());
    }
}
