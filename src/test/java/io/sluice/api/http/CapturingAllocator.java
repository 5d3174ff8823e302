package io.sluice.api.http;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Netty's unpooled allocator, keeping every direct buffer it hands out so tests can look at their refCnt. */
final class CapturingAllocator extends AbstractByteBufAllocator {

    private static final UnpooledByteBufAllocator UNPOOLED = new UnpooledByteBufAllocator(true);

    final List<ByteBuf> buffers = new CopyOnWriteArrayList<>();

    CapturingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return UNPOOLED.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buffer = UNPOOLED.directBuffer(initialCapacity, maxCapacity);
        buffers.add(buffer);
        return buffer;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
