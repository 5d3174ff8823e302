package io.sluice.fetch;

import io.sluice.group.PositionReset;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a group read returns per partition and how it moves the positions: records in place ({@link #RECORDS}, the JSON
 * renderings) or the stored Kafka record batches ({@link #BATCHES}). Both follow one protocol ({@link GroupRead}): a
 * partition counts as read only if it returned a record at or after its position (control batches alone do not
 * count, so the position waits for real records), and its position then moves to {@link #nextOffset}, past exactly
 * what was handed out. Stateless.
 *
 * @param <T> one partition's read
 * @param <R> the whole answer
 */
interface GroupShape<T, R> {

    /** Estimated bytes per record besides its key, value and headers, for {@code fetch.min.bytes}. */
    int RECORD_OVERHEAD = 16;

    CompletableFuture<T> fetch(FetchService fetch, FetchRequest request);

    /** Whether the read holds a record at or after {@code position} (not just control batches). */
    boolean hasRecords(T read, long position);

    /** The partition's position after handing out {@code read}. */
    long nextOffset(T read);

    /** The bytes counted against {@code fetch.min.bytes}. */
    long bytes(T read);

    R answer(int generation, List<Positioned<T>> partitions, List<PositionReset> resets);

    /** Gives back what a read that is not handed out holds (a batch read's buffer); nothing for records. */
    void release(T read);

    /** Gives back what an answer that is not handed out holds. */
    void releaseAnswer(R answer);

    /** One partition's read and the position it was read from (records below it are not part of the answer). */
    record Positioned<T>(T read, long position) {}

    /** Records in place, at most the request's {@code max_records} of them; the position moves past the last one. */
    GroupShape<FetchResult, GroupReadResult> RECORDS = new GroupShape<>() {
        @Override
        public CompletableFuture<FetchResult> fetch(FetchService fetch, FetchRequest request) {
            return fetch.read(request);
        }

        @Override
        public boolean hasRecords(FetchResult read, long position) {
            return !read.records().isEmpty();
        }

        @Override
        public long nextOffset(FetchResult read) {
            return read.records().nextOffset();
        }

        @Override
        public long bytes(FetchResult read) {
            return (long) RECORD_OVERHEAD * read.records().count()
                    + read.records().payloadBytes();
        }

        @Override
        public GroupReadResult answer(
                int generation, List<Positioned<FetchResult>> partitions, List<PositionReset> resets) {
            return new GroupReadResult(
                    generation, partitions.stream().map(Positioned::read).toList(), resets);
        }

        @Override
        public void release(FetchResult read) {
            // heap records: nothing to give back
        }

        @Override
        public void releaseAnswer(GroupReadResult answer) {
            // heap records: nothing to give back
        }
    };

    /**
     * Whole stored batches (never split, so {@code max_records} does not apply); the position moves past the last
     * batch, control batches included. The first batch may start before the position.
     */
    GroupShape<FetchedBatches, GroupBatchesResult> BATCHES = new GroupShape<>() {
        @Override
        public CompletableFuture<FetchedBatches> fetch(FetchService fetch, FetchRequest request) {
            return fetch.readBatches(request);
        }

        @Override
        public boolean hasRecords(FetchedBatches read, long position) {
            for (RecordBatch batch : RecordBatches.split(read.batches().duplicate())) {
                if (!batch.isControlBatch() && batch.lastOffset() >= position) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public long nextOffset(FetchedBatches read) {
            return read.nextOffset();
        }

        @Override
        public long bytes(FetchedBatches read) {
            return read.sizeInBytes();
        }

        @Override
        public GroupBatchesResult answer(
                int generation, List<Positioned<FetchedBatches>> partitions, List<PositionReset> resets) {
            return new GroupBatchesResult(
                    generation,
                    partitions.stream()
                            .map(p -> new GroupBatchesResult.PartitionBatches(p.read(), p.position()))
                            .toList(),
                    resets);
        }

        @Override
        public void release(FetchedBatches read) {
            read.release();
        }

        @Override
        public void releaseAnswer(GroupBatchesResult answer) {
            answer.release();
        }
    };
}
