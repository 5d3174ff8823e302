package io.sluice.api.http;

import io.sluice.fetch.FetchedBatches;
import io.sluice.fetch.GroupBatchesResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

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
 * never split, control batches included. The body is handed out as a small heading buffer and the batches' own buffer
 * per section, not copied into one. Stateless.
 */
final class GroupBatchesBody {

    /** Bytes of a section before its topic name and between the name and the batches. */
    private static final int FIXED = 2 + 4 + 8 + 8 + 4;

    private final List<DataBuffer> buffers;
    private final long length;

    private GroupBatchesBody(List<DataBuffer> buffers, long length) {
        this.buffers = buffers;
        this.length = length;
    }

    static GroupBatchesBody of(GroupBatchesResult result) {
        List<DataBuffer> buffers = new ArrayList<>(2 * result.partitions().size());
        long length = 0;
        for (GroupBatchesResult.PartitionBatches section : result.partitions()) {
            FetchedBatches read = section.batches();
            byte[] topic = read.topic().getBytes(StandardCharsets.UTF_8);
            ByteBuffer heading = ByteBuffer.allocate(FIXED + topic.length)
                    .putShort((short) topic.length)
                    .put(topic)
                    .putInt(read.partition())
                    .putLong(section.position())
                    .putLong(read.nextOffset())
                    .putInt(read.batches().remaining())
                    .flip();
            length += heading.remaining() + read.batches().remaining();
            buffers.add(DefaultDataBufferFactory.sharedInstance.wrap(heading));
            buffers.add(DefaultDataBufferFactory.sharedInstance.wrap(read.batches()));
        }
        return new GroupBatchesBody(buffers, length);
    }

    List<DataBuffer> buffers() {
        return buffers;
    }

    long length() {
        return length;
    }
}
