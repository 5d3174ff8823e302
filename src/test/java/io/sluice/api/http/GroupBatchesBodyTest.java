package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.fetch.FetchedBatches;
import io.sluice.fetch.GroupBatchesResult;
import io.sluice.storage.ReadBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;

/** The framing of a group read in Kafka's record-batch format, byte by byte. */
class GroupBatchesBodyTest {

    @Test
    void eachPartitionIsASectionWithTopicPartitionPositionNextOffsetAndLengthBeforeItsBatches() {
        byte[] first = {1, 2, 3, 4, 5};
        byte[] second = {9, 8, 7};
        GroupBatchesResult result = new GroupBatchesResult(
                3,
                List.of(
                        new GroupBatchesResult.PartitionBatches(batches("orders", 2, first, 40), 37),
                        new GroupBatchesResult.PartitionBatches(batches("é", 0, second, 7), 0)),
                List.of());

        ByteBuffer body = ByteBuffer.wrap(bytes(GroupBatchesBody.of(result)));

        assertSection(body, "orders", 2, 37, 40, first);
        assertSection(body, "é", 0, 0, 7, second);
        assertThat(body.hasRemaining()).isFalse();
    }

    @Test
    void theBodyTakesOverPooledBuffersSoReleasingTheBodyFreesThemOnce() {
        CapturingAllocator allocator = new CapturingAllocator();
        NettyReadBuffers pool = new NettyReadBuffers(allocator);
        FetchedBatches first = pooled(pool, "t", 0, new byte[] {1, 2, 3});
        FetchedBatches second = pooled(pool, "t", 1, new byte[] {4, 5});
        GroupBatchesResult result = new GroupBatchesResult(
                1,
                List.of(
                        new GroupBatchesResult.PartitionBatches(first, 0),
                        new GroupBatchesResult.PartitionBatches(second, 0)),
                List.of());

        DataBuffer body = GroupBatchesBody.of(result);
        result.release(); // handed over: releasing the answer no longer touches the buffers
        assertThat(allocator.buffers).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));

        assertThat(bytes(body)).endsWith(0, 0, 0, 2, 4, 5);
        assertThat(allocator.buffers)
                .hasSize(2)
                .allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void aBodyOfPooledBatchesIsAllDirectMemorySoNettyWritesItWithoutACopy() {
        NettyReadBuffers pool = NettyReadBuffers.pooled();
        GroupBatchesResult result = new GroupBatchesResult(
                1,
                List.of(
                        new GroupBatchesResult.PartitionBatches(pooled(pool, "t", 0, new byte[] {1, 2, 3}), 0),
                        new GroupBatchesResult.PartitionBatches(pooled(pool, "t", 1, new byte[] {4, 5}), 0)),
                List.of());

        DataBuffer body = GroupBatchesBody.of(result);
        try {
            ByteBuf netty = ((NettyDataBuffer) body).getNativeBuffer();
            // the epoll transport copies a composite that is not direct (UnixChannelUtil.isBufferCopyNeededForWrite)
            assertThat(netty.isDirect()).isTrue();
        } finally {
            DataBufferUtils.release(body);
        }
    }

    private static FetchedBatches pooled(NettyReadBuffers pool, String topic, int partition, byte[] content) {
        ReadBuffer buffer = pool.allocate(content.length);
        buffer.bytes().put(content);
        return new FetchedBatches(topic, partition, buffer, 1, 1, 0, 1);
    }

    private static void assertSection(
            ByteBuffer body, String topic, int partition, long position, long next, byte[] batches) {
        byte[] name = new byte[body.getShort()];
        body.get(name);
        assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo(topic);
        assertThat(body.getInt()).isEqualTo(partition);
        assertThat(body.getLong()).isEqualTo(position);
        assertThat(body.getLong()).isEqualTo(next);
        byte[] content = new byte[body.getInt()];
        body.get(content);
        assertThat(content).isEqualTo(batches);
    }

    private static FetchedBatches batches(String topic, int partition, byte[] bytes, long next) {
        return new FetchedBatches(topic, partition, ReadBuffer.wrap(bytes), 1, next, 0, next);
    }

    private static byte[] bytes(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return bytes;
    }
}
