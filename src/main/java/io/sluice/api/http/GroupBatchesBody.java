package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.fetch.FetchedBatches;
import io.sluice.fetch.GroupBatchesResult;
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
 * The headings are direct memory like the batches: Netty's epoll transport copies a composite with any heap part into
 * one new direct buffer before it writes it, on the event loop. Stateless.
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
            parts.add(ByteBufAllocator.DEFAULT
                    .directBuffer(FIXED + topic.length)
                    .writeShort(topic.length)
                    .writeBytes(topic)
                    .writeInt(read.partition())
                    .writeLong(section.position())
                    .writeLong(read.nextOffset())
                    .writeInt(read.sizeInBytes()));
            parts.add(NettyReadBuffers.takeOver(read.buffer()));
        }
        return WrappedBodies.of(parts);
    }
}
