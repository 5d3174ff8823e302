package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.HttpConnectionLiveness;
import reactor.netty.http.IdleTimeoutHandler;

/**
 * Answers an HTTP/1.1 connection's plain record reads (those {@link DirectReads} serves) in the channel pipeline,
 * between the HTTP codec and Reactor Netty's traffic handler, so that a long-poll costs the decoding of its request,
 * the read and the encoding of its answer and nothing of Reactor Netty's per-request machinery (its request and
 * response objects, observers, routes, reactive chains, and the two {@code epoll_ctl} calls of turning auto-read off
 * and on for every request). With 10,000 idle polls of 120 s, renewing a poll was most of an idle server's CPU
 * (BENCHMARKS.md, session 12). {@link DirectReads} still serves the reads that come through Reactor Netty.
 *
 * <p>A request is taken here only when the connection has nothing else going on: no request passed to Reactor Netty
 * still waiting for the end of its answer, none whose operations Reactor Netty has not yet finished (they put its idle
 * timer back, below), no read of this handler's in progress, nothing held back. It must also be
 * a keep-alive HTTP/1.1 GET without a body or an {@code Expect} header that {@link DirectReads#admit} takes (a plain
 * read, and room in the read budget). Everything else goes on to Reactor Netty unchanged, which answers it as
 * before (including pipelined requests and {@code Connection: close}). While a read of this handler is in progress,
 * whatever else had arrived on the connection (a pipelined request) is held back and handled, in order, once its answer
 * has been written: answers leave in the order of their requests. The answer is {@link ReadAnswer}'s status, headers
 * and body, or the API's JSON error, as on the other paths.
 *
 * <p>Reactor Netty's connections read only on demand (auto-read is off): nothing more is read from the connection
 * while a read is served here (what a client pipelined behind it and had already arrived is held back), and the
 * next request is asked for once its answer is written.
 *
 * <p>Reactor Netty closes a connection that stays idle for {@code server.netty.idle-timeout} between requests; that
 * timer is taken off while a read is served here (a poll may wait longer) and put back once its answer is written,
 * when nothing else is in progress.
 *
 * <p>One instance per connection, used on the connection's event loop only (answers completed on other threads are
 * handed to it); not thread-safe otherwise.
 */
public final class PipelineReads extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(PipelineReads.class);

    /** The name of this handler in the channel pipeline. */
    public static final String NAME = "sluice.pipelineReads";

    private final DirectReads reads;
    /** The server's idle timeout, put back after a read served here; null when the server has none. */
    private final Duration idleTimeout;

    /** Requests passed to Reactor Netty whose final answer has not been written yet. */
    private int passedUnanswered;
    /** Whether Reactor Netty's last answer head was informational (100, 101): its end does not answer a request. */
    private boolean informational;
    /** The read served here, until its answer is written or it is cancelled; null when none. */
    private Disposable serving;
    /** The taken request's remaining content (its empty end) is dropped, not passed on. */
    private boolean droppingRequestContent;
    /** What arrived while a read was served here, in order. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    public PipelineReads(DirectReads reads, Duration idleTimeout) {
        this.reads = reads;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (serving != null || !held.isEmpty()) {
            held.add(msg);
        } else {
            route(ctx, msg);
        }
    }

    private void route(ChannelHandlerContext ctx, Object msg) {
        if (droppingRequestContent && msg instanceof HttpContent) {
            droppingRequestContent = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (passedUnanswered == 0 && take(ctx, request)) {
                return;
            }
            passedUnanswered++;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean take(ChannelHandlerContext ctx, HttpRequest request) {
        if (ChannelOperations.get(ctx.channel()) != null // Reactor Netty is still finishing its last request
                || !request.decoderResult().isSuccess()
                || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                || !HttpUtil.isKeepAlive(request)
                || HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) != 0
                || request.headers().contains(HttpHeaderNames.EXPECT)
                || !DirectReads.mayServe(request.method(), request.uri())) {
            return false;
        }
        String uri = request.uri();
        HttpHeaders headers = request.headers();
        Mono<? extends ReadAnswer> answer = reads.admit(uri, headers);
        if (answer == null) {
            return false;
        }
        droppingRequestContent = !(request instanceof LastHttpContent);
        ReferenceCountUtil.release(request);
        IdleTimeoutHandler.removeIdleTimeoutHandler(ctx.pipeline());
        // in place before subscribing: an answer ready at once is written (and clears it) within subscribe
        Disposable.Swap read = Disposables.swap();
        serving = read;
        read.update(answer
                // a pooled body dropped by a cancellation (client gone) goes back to the pool
                .doOnDiscard(ReadAnswer.class, ReadAnswer::release)
                .subscribe(
                        ready -> onLoop(ctx, () -> answered(ctx, ready)),
                        error -> onLoop(ctx, () -> failed(ctx, uri, headers, error))));
        return true;
    }

    /** Runs {@code task} on the connection's event loop; a task that fails closes the connection. */
    private static void onLoop(ChannelHandlerContext ctx, Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("answering a read on {} failed; closing it", ctx.channel(), e);
                ctx.close();
            }
        };
        if (ctx.executor().inEventLoop()) {
            guarded.run();
        } else {
            ctx.executor().execute(guarded);
        }
    }

    private void answered(ChannelHandlerContext ctx, ReadAnswer answer) {
        if (serving == null) { // the connection closed meanwhile
            answer.release();
            return;
        }
        DataBuffer body = answer.body();
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : NettyDataBufferFactory.toByteBuf(body);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status().value()), content);
        answer.forEachHeader(response.headers()::add);
        if (body != null) {
            // the spelling of Spring's constant, as the other paths send it
            response.headers().set(org.springframework.http.HttpHeaders.CONTENT_LENGTH, content.readableBytes());
        } else if (answer.status().value() != HttpResponseStatus.NO_CONTENT.code()) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        written(ctx, response);
    }

    private void failed(ChannelHandlerContext ctx, String uri, HttpHeaders headers, Throwable error) {
        if (serving == null) {
            return;
        }
        ApiErrorHandler.ErrorAnswer answer = reads.errorAnswer(HttpMethod.GET, uri, headers, error);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        answer.headers()
                .forEach((name, values) ->
                        values.forEach(value -> response.headers().add(name, value)));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        written(ctx, response);
    }

    /** Writes the answer of the read served here, then goes on with what was held back meanwhile. */
    private void written(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        serving = null;
        reads.releaseRead();
        while (serving == null && !held.isEmpty()) {
            route(ctx, held.poll());
        }
        if (serving == null && passedUnanswered == 0) {
            IdleTimeoutHandler.addIdleTimeoutHandler(ctx.pipeline(), idleTimeout, HttpConnectionLiveness.CLOSE);
            // Reactor Netty's connections read on demand (auto-read off): ask for the next request, as it would
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // only Reactor Netty's answers pass here: this handler writes its own from its context, below this point
        if (msg instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && !informational && passedUnanswered > 0) {
            passedUnanswered--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    /** Cancels the read served here (the client is gone) and drops what was held back. */
    private void stop() {
        Disposable read = serving;
        if (read != null) {
            serving = null;
            read.dispose();
            reads.releaseRead();
        }
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
