package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.common.ErrorCode;
import java.nio.charset.StandardCharsets;

/**
 * Gives the requests that the HTTP codec refuses before any route sees them the same JSON body as every other error:
 * a request line longer than the server accepts (414, {@link ErrorCode#URI_TOO_LONG}), header fields larger than it
 * accepts (431, {@link ErrorCode#HEADERS_TOO_LARGE}) and a request that is not valid HTTP (400,
 * {@link ErrorCode#MALFORMED_REQUEST}). Reactor Netty answers those with an empty body and closes the connection;
 * this outbound handler, placed between the codec and Reactor Netty's traffic handler, replaces such an empty
 * answer (and only an empty one: routes never send an error without a body) by the JSON one, keeping its headers.
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}: one instance serves every connection.
 */
@ChannelHandler.Sharable
public final class CodecRejections extends ChannelOutboundHandlerAdapter {

    /** The name of this handler in the channel pipeline. */
    public static final String NAME = "sluice.codecRejections";

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FullHttpResponse response && isBareRejection(response)) {
            ctx.write(withJsonBody(response), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private static boolean isBareRejection(FullHttpResponse response) {
        int status = response.status().code();
        return (status == 400 || status == 414 || status == 431)
                && response.content().readableBytes() == 0;
    }

    private static FullHttpResponse withJsonBody(FullHttpResponse bare) {
        ErrorCode code = codeFor(bare.status());
        ByteBuf body = Unpooled.copiedBuffer(
                "{\"error_code\":" + code.code() + ",\"message\":\"" + messageFor(code) + "\"}",
                StandardCharsets.UTF_8);
        FullHttpResponse answer = new DefaultFullHttpResponse(bare.protocolVersion(), bare.status(), body);
        answer.headers().set(bare.headers());
        answer.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        bare.release();
        return answer;
    }

    static ErrorCode codeFor(HttpResponseStatus status) {
        return switch (status.code()) {
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            default -> ErrorCode.MALFORMED_REQUEST;
        };
    }

    private static String messageFor(ErrorCode code) {
        return switch (code) {
            case URI_TOO_LONG -> "request line too long (see server.netty.max-initial-line-length)";
            case HEADERS_TOO_LARGE -> "request header fields too large (see server.max-http-request-header-size)";
            default -> "malformed HTTP request: it could not be decoded";
        };
    }
}
