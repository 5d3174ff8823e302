package io.sluice.bench;

import java.nio.ByteBuffer;

/**
 * A group read answer in Kafka's record-batch format ({@code application/vnd.sluice.batches} on
 * {@code /consumers/{g}/instances/{i}/records}), decoded as a client would: per partition section (topic, partition,
 * position, next offset, length, then the batches), every batch CRC-checked and every record at or after the
 * section's position decoded by kafka-clients ({@link BatchPage}). Immutable.
 *
 * @param count records at or after each section's position
 * @param valueBytes total length of their values
 */
record GroupBatchPage(int count, long valueBytes) {

    static GroupBatchPage decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        int count = 0;
        long bytes = 0;
        while (in.hasRemaining()) {
            int topicLength = in.getShort();
            in.position(in.position() + topicLength); // topic and partition: a client routes the section by them
            in.getInt();
            long position = in.getLong();
            in.getLong(); // the position after this answer
            int length = in.getInt();
            ByteBuffer batches = in.slice(in.position(), length);
            in.position(in.position() + length);
            BatchPage page = BatchPage.decode(batches, position);
            count += page.count();
            bytes += page.valueBytes();
        }
        return new GroupBatchPage(count, bytes);
    }
}
