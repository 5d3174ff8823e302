package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.fetch.FetchedBatches;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * Response bodies over bytes that already exist (stored record batches), handed to Netty as they are. They must be
 * Netty buffers: Spring copies any other {@link DataBuffer} into a new heap buffer before Netty writes it, a second
 * copy of every byte served. Batches read into Netty's own memory ({@link NettyReadBuffers}) are handed over, not
 * wrapped: the body then owns (and Netty's write releases) them. Stateless.
 */
final class WrappedBodies {

    private static final NettyDataBufferFactory NETTY = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    private WrappedBodies() {}

    /** The batches as the body; the body takes over their buffer (nothing is copied). */
    static DataBuffer of(FetchedBatches batches) {
        return NETTY.wrap(NettyReadBuffers.takeOver(batches.buffer()));
    }

    /** Netty buffers in turn as one body, which takes them over (nothing is copied). */
    static DataBuffer of(List<ByteBuf> parts) {
        CompositeByteBuf body = Unpooled.compositeBuffer(parts.size());
        body.addComponents(true, parts);
        return NETTY.wrap(body);
    }
}
