package io.sluice.fetch;

import java.nio.ByteBuffer;

/**
 * The answer to a read in Kafka's own format: whole record batches (v2, magic 2) exactly as stored, each checked
 * against its CRC32C when it was read, concatenated in offset order. The first batch may start before the asked
 * offset (a batch is never split); the reader skips the records below it, as Kafka's consumer does. Control batches
 * are included. Nothing lies at or beyond the high watermark.
 *
 * @param batches the bytes, from position to limit; owned by the receiver (not shared with the log)
 * @param records records in the batches (including any before the asked offset)
 * @param nextOffset the offset after the last batch: where the next read continues (the asked offset if empty)
 */
public record FetchedBatches(
        String topic,
        int partition,
        ByteBuffer batches,
        int records,
        long nextOffset,
        long logStartOffset,
        long highWatermark) {

    public boolean isEmpty() {
        return !batches.hasRemaining();
    }
}
