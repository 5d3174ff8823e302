package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.storage.ReadBuffer;
import io.sluice.storage.ReadBuffers;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Read memory from Netty's allocator: a batch read is read from the segment file straight into an off-heap buffer
 * Netty sends from, CRC-checked there, and handed to Netty as the response body ({@link WrappedBodies}), so the bytes
 * cross user space once, with no heap copy and no garbage. Every buffer is either handed over to Netty (which
 * releases it once written, or when the connection fails) or released by the owner that drops it ({@link
 * ReadBuffer#release()}). Thread-safe.
 */
public final class NettyReadBuffers implements ReadBuffers {

    private final ByteBufAllocator allocator;

    public NettyReadBuffers(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Netty's default allocator, the one Reactor Netty's server writes with. */
    public static NettyReadBuffers pooled() {
        return new NettyReadBuffers(ByteBufAllocator.DEFAULT);
    }

    @Override
    public ReadBuffer allocate(int size) {
        return new Pooled(allocator.directBuffer(size, size), size);
    }

    /**
     * The Netty buffer behind a read buffer, taken over by the caller (who must send or release it), its readable
     * bytes the whole read; a buffer from elsewhere is wrapped (nothing to release). Once taken, releasing the read
     * buffer does nothing.
     */
    static ByteBuf takeOver(ReadBuffer buffer) {
        if (buffer instanceof Pooled pooled) {
            return pooled.takeOver();
        }
        return io.netty.buffer.Unpooled.wrappedBuffer(buffer.bytes());
    }

    /** One Netty buffer of exactly {@code size} bytes, owned until released or taken over (exactly once). */
    private static final class Pooled implements ReadBuffer {

        private final AtomicReference<ByteBuf> owned;
        private final ByteBuf buf;
        private final int size;

        Pooled(ByteBuf buf, int size) {
            this.buf = buf;
            this.size = size;
            this.owned = new AtomicReference<>(buf);
        }

        @Override
        public ByteBuffer bytes() {
            return buf.nioBuffer(0, size);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void release() {
            ByteBuf mine = owned.getAndSet(null);
            if (mine != null) {
                mine.release();
            }
        }

        ByteBuf takeOver() {
            ByteBuf mine = owned.getAndSet(null);
            if (mine == null) {
                throw new IllegalStateException("read buffer already released or handed over");
            }
            return mine.setIndex(0, size);
        }
    }
}
