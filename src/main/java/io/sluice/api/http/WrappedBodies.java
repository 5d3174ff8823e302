package io.sluice.api.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * Response bodies over bytes that already exist (stored record batches), handed to Netty as they are. They must be
 * Netty buffers: Spring copies any other {@link DataBuffer} into a new heap buffer before Netty writes it, a second
 * copy of every byte served. Stateless.
 */
final class WrappedBodies {

    private static final NettyDataBufferFactory NETTY = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    private WrappedBodies() {}

    /** The buffers' bytes from position to limit, in order, as one body; nothing is copied. */
    static DataBuffer wrap(ByteBuffer... buffers) {
        return NETTY.wrap(buffers.length == 1 ? Unpooled.wrappedBuffer(buffers[0]) : Unpooled.wrappedBuffer(buffers));
    }
}
