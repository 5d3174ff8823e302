package io.sluice.app;

import io.sluice.api.http.CodecRejections;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Puts {@link CodecRejections} into every HTTP/1.1 connection's pipeline, just before Reactor Netty's traffic
 * handler, so that requests the codec refuses (414, 431, 400) get a JSON error body. Connections without that
 * handler (none today) are left alone.
 */
@Component
class CodecRejectionCustomizer implements NettyServerCustomizer {

    private static final CodecRejections HANDLER = new CodecRejections();

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null
                    && channel.pipeline().get(CodecRejections.NAME) == null) {
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, CodecRejections.NAME, HANDLER);
            }
        });
    }
}
