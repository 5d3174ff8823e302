package io.sluice.fetch;

import io.sluice.storage.ReadBuffer;
import java.nio.ByteBuffer;

/**
 * The answer to a read in Kafka's own format: whole record batches (v2, magic 2) exactly as stored, each checked
 * against its CRC32C over the very bytes in {@code buffer} when it was read, concatenated in offset order. The first
 * batch may start before the asked offset (a batch is never split); the reader skips the records below it, as Kafka's
 * consumer does. Control batches are included. Nothing lies at or beyond the high watermark.
 *
 * <p>The value owns its buffer (possibly pooled, off-heap memory): whoever holds it last either hands the buffer to
 * the network or calls {@link #release()}; an answer dropped on the way (a cancelled read, a group read that reads
 * again) is released by whoever drops it.
 *
 * @param buffer the bytes; owned by the receiver (not shared with the log)
 * @param records records in the batches (including any before the asked offset)
 * @param nextOffset the offset after the last batch: where the next read continues (the asked offset if empty)
 */
public record FetchedBatches(
        String topic,
        int partition,
        ReadBuffer buffer,
        int records,
        long nextOffset,
        long logStartOffset,
        long highWatermark) {

    /** A new view of the batches (position 0, limit at the end); not valid after {@link #release()}. */
    public ByteBuffer batches() {
        return buffer.bytes();
    }

    public int sizeInBytes() {
        return buffer.size();
    }

    public boolean isEmpty() {
        return buffer.size() == 0;
    }

    /** Gives the buffer back (see {@link ReadBuffer#release()}); safe to call more than once. */
    public void release() {
        buffer.release();
    }
}
