package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.fetch.FetchedBatches;
import io.sluice.fetch.GroupBatchesResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * The body of a group read in Kafka's record-batch format ({@code application/vnd.sluice.batches}): one section per
 * partition with records, in the answer's order. A section is, big-endian as in Kafka's protocol:
 *
 * <pre>
 * int16  topic name length n     int64  position: records below it (in the first batch) are not part of the answer
 * n      topic name, UTF-8       int64  next offset: the instance's position for the partition after this answer
 * int32  partition               int32  length L of the batches, then L bytes of whole record batches (v2)
 * </pre>
 *
 * The batches are the stored bytes as the partition read serves them ({@link FetchedBatches}): CRC-checked when read,
 * never split, control batches included. The body is one composite of a small heading buffer and the batches' own
 * buffer per section: nothing is copied into it, and it takes over the batches' buffers (see {@link WrappedBodies}).
 * Stateless.
 */
final class GroupBatchesBody {

    /** Bytes of a section before its topic name and between the name and the batches. */
    private static final int FIXED = 2 + 4 + 8 + 8 + 4;

    private GroupBatchesBody() {}

    /** The body of a non-empty answer; it owns the answer's buffers from then on. */
    static DataBuffer of(GroupBatchesResult result) {
        List<ByteBuf> parts = new ArrayList<>(2 * result.partitions().size());
        for (GroupBatchesResult.PartitionBatches section : result.partitions()) {
            FetchedBatches read = section.batches();
            byte[] topic = read.topic().getBytes(StandardCharsets.UTF_8);
            ByteBuffer heading = ByteBuffer.allocate(FIXED + topic.length)
                    .putShort((short) topic.length)
                    .put(topic)
                    .putInt(read.partition())
                    .putLong(section.position())
                    .putLong(read.nextOffset())
                    .putInt(read.sizeInBytes())
                    .flip();
            parts.add(Unpooled.wrappedBuffer(heading));
            parts.add(NettyReadBuffers.takeOver(read.buffer()));
        }
        return WrappedBodies.of(parts);
    }
}
