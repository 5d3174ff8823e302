package io.sluice.api.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What the routes served ahead of Spring's HTTP stack ({@link DirectReads}, {@link DirectProduce}) share: the request
 * they do not take goes to {@code full} (Spring's handler) unchanged, an answer is written on its connection's event
 * loop, and a failure is answered with the {@link ApiErrorHandler}'s error, as the full path would. Such a route must
 * only be installed where no filter of the full path applies to its requests: security off (no ACLs, no instance
 * owners), no quotas, no CORS origins.
 *
 * <p>Thread-safe (its only state is a cache of one scheduler per event loop).
 */
abstract class DirectRoute {

    private static final Logger log = LoggerFactory.getLogger(DirectRoute.class);

    private final ApiErrorHandler errors;
    private final BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> full;
    /** One scheduler per event loop (a handful), not one per request. */
    private final Map<EventLoop, Scheduler> loops = new ConcurrentHashMap<>();

    DirectRoute(ApiErrorHandler errors, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> full) {
        this.errors = errors;
        this.full = full;
    }

    /** Hands the request to Spring's handler, which answers (or refuses) it exactly as without this route. */
    final Publisher<Void> full(HttpServerRequest request, HttpServerResponse response) {
        return full.apply(request, response);
    }

    /**
     * The event loop of the request's connection, where its answer is written: an answer completes on the thread that
     * made it (the deadline timer, a storage thread), and writing from there would hand each write and flush to the
     * loop as tasks of their own, waking it for each. An answer handed over whole wakes the loop once, and the
     * answers that complete together share that wake-up.
     */
    final Scheduler loopOf(HttpServerRequest request) {
        if (request instanceof Connection connection) {
            return loops.computeIfAbsent(connection.channel().eventLoop(), Schedulers::fromExecutor);
        }
        return Schedulers.immediate();
    }

    static String pathOf(String uri) {
        int queryStart = uri.indexOf('?');
        return queryStart < 0 ? uri : uri.substring(0, queryStart);
    }

    /** The {@link ApiErrorHandler}'s answer to a failed request; fails with the error if the answer already started. */
    final Mono<Void> writeError(
            HttpMethod method, HttpServerRequest request, HttpServerResponse response, Throwable error) {
        if (error instanceof AbortedException) {
            // the client went away while its request was served: nobody to answer, and not the server's failure
            log.debug("{} closed before its answer: {}", request.uri(), error.getMessage());
            return Mono.empty();
        }
        if (response.hasSentHeaders()) {
            return Mono.error(error);
        }
        ApiErrorHandler.ErrorAnswer answer = errors.answer(
                method, pathOf(request.uri()), request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE), error);
        response.status(answer.status());
        answer.headers().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(answer.body().length));
        return response.sendByteArray(Mono.just(answer.body())).then();
    }
}
