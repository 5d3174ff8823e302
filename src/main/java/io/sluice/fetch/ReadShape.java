package io.sluice.fetch;

import io.sluice.storage.LogReadResult;
import io.sluice.storage.ReadBuffer;
import io.sluice.storage.ReadBuffers;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * How one kind of {@link FetchService} read turns the log's answer into its result, what it answers when nothing
 * arrived, what of it counts as data and in metrics, whether waiters at the same position may share one result, and
 * how a result that is not handed out gives back what it holds (a batch read's buffer). Immutable.
 */
record ReadShape<T>(
        Reader<T> reader,
        Empty<T> empty,
        Predicate<T> hasData,
        ToIntFunction<T> records,
        ToLongFunction<T> bytes,
        boolean shareable,
        Consumer<T> discard) {

    /** Decoded records; results hold no pooled memory, so waiters at one position share one. */
    static final ReadShape<FetchResult> RECORDS = new ReadShape<>(
            LogReads::records,
            (request, start, end, offset) ->
                    new FetchResult(request.topic(), request.partition(), StoredRecords.NONE, start, end),
            r -> !r.records().isEmpty(),
            r -> r.records().count(),
            r -> r.records().payloadBytes(),
            true,
            r -> {});

    /**
     * The stored batches, read into {@code readBuffers}' memory; not shared between waiters, because each answer's
     * buffer is owned (and consumed or released) by its receiver.
     */
    static ReadShape<FetchedBatches> batches(ReadBuffers readBuffers) {
        return new ReadShape<>(
                (read, request, offset) -> LogReads.batches(read, request, offset, readBuffers),
                (request, start, end, offset) -> new FetchedBatches(
                        request.topic(), request.partition(), ReadBuffer.empty(), 0, offset, start, end),
                b -> !b.isEmpty(),
                FetchedBatches::records,
                FetchedBatches::sizeInBytes,
                false,
                FetchedBatches::release);
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(LogReadResult read, FetchRequest request, long offset);
    }

    @FunctionalInterface
    interface Empty<T> {
        T answer(FetchRequest request, long logStartOffset, long highWatermark, long offset);
    }
}
