package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.storage.ReadBuffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Read buffers in Netty's memory: written through the storage view, sent as the Netty buffer, freed exactly once. */
class NettyReadBuffersTest {

    private final CapturingAllocator allocator = new CapturingAllocator();
    private final NettyReadBuffers buffers = new NettyReadBuffers(allocator);

    @Test
    void whatIsWrittenThroughTheViewIsWhatTheTakenOverBufferHolds() {
        ReadBuffer read = buffers.allocate(4);
        ByteBuffer view = read.bytes();
        assertThat(view.isDirect()).isTrue();
        assertThat(view.remaining()).isEqualTo(4);
        view.put(new byte[] {7, 8, 9, 10});

        ByteBuf sent = NettyReadBuffers.takeOver(read);

        assertThat(sent.readableBytes()).isEqualTo(4);
        assertThat(sent.getByte(0)).isEqualTo((byte) 7);
        assertThat(sent.getByte(3)).isEqualTo((byte) 10);
        sent.release();
        assertThat(allocator.buffers.get(0).refCnt())
                .as("the very buffer that was allocated")
                .isZero();
    }

    @Test
    void releasingAfterTheHandOverLeavesTheBufferToItsNewOwner() {
        ReadBuffer read = buffers.allocate(8);
        ByteBuf sent = NettyReadBuffers.takeOver(read);

        read.release();

        assertThat(sent.refCnt()).isEqualTo(1);
        sent.release();
        assertThat(sent.refCnt()).isZero();
    }

    @Test
    void aBufferReleasedTwiceIsFreedOnceAndCannotBeHandedOverAfterwards() {
        ReadBuffer read = buffers.allocate(8);

        read.release();
        read.release();

        assertThat(allocator.buffers.get(0).refCnt()).isZero();
        assertThatThrownBy(() -> NettyReadBuffers.takeOver(read)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHeapBufferIsWrappedWithoutCopying() {
        byte[] bytes = {1, 2, 3};

        ByteBuf sent = NettyReadBuffers.takeOver(ReadBuffer.wrap(bytes));

        bytes[1] = 5;
        assertThat(sent.getByte(1)).isEqualTo((byte) 5);
        assertThat(sent.readableBytes()).isEqualTo(3);
    }
}
