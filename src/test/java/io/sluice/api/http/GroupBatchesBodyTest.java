package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fetch.FetchedBatches;
import io.sluice.fetch.GroupBatchesResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

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
    void theBatchesAreServedFromTheirPositionToTheirLimitAndNotConsumed() {
        ByteBuffer stored = ByteBuffer.wrap(new byte[] {0, 0, 6, 6, 0});
        stored.position(2).limit(4);
        FetchedBatches read = new FetchedBatches("t", 1, stored, 1, 11, 0, 11);

        byte[] body = bytes(GroupBatchesBody.of(
                new GroupBatchesResult(1, List.of(new GroupBatchesResult.PartitionBatches(read, 10)), List.of())));

        assertThat(body).endsWith(0, 0, 0, 2, 6, 6);
        assertThat(stored.position()).isEqualTo(2);
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
        return new FetchedBatches(topic, partition, ByteBuffer.wrap(bytes), 1, next, 0, next);
    }

    private static byte[] bytes(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return bytes;
    }
}
