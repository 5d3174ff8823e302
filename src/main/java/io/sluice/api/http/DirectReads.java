package io.sluice.api.http;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The partition read ({@code GET /topics/{topic}/partitions/{partition}/records}) served by the HTTP handler itself,
 * ahead of WebFlux's exchange, filter chain, dispatcher and response builder. A long-poll that ends empty and is sent
 * again is almost only that fixed cost: with 10,000 idle polls it was most of the server's CPU (BENCHMARKS.md,
 * session 4).
 *
 * <p>The answer is the route's own: {@link RecordsHandler} parses the request and builds the answer (status, headers in
 * the same order, body) for both paths, the read holds one unit of the {@link AdmissionFilter}'s read budget until it
 * ends, and a read that fails is answered by the {@link ApiErrorHandler}. Every request this class does not take
 * goes down the full path unchanged, which answers (or refuses) it exactly as before: another method or path, a path
 * with percent-escapes or matrix parameters, a {@code follow} read (the live routes), a cross-origin request, a
 * parameter or Accept header the route would reject (its error comes from the full path), and a read while the read
 * budget is full (the admission filter refuses and counts it). It must only be installed where no filter of the full
 * path applies to a plain read: security off, no quotas, no CORS origins.
 *
 * <p>Thread-safe (its only state is a cache of one scheduler per event loop); never blocks: the read is parked by the
 * fetch service, as on the full path.
 */
public final class DirectReads {

    /** The route's path with both variables as plain segments: no escapes, no matrix parameters. */
    private static final Pattern PATH = Pattern.compile("/topics/([^/;%]+)/partitions/([^/;%]+)/records");

    private static final String FOLLOW = "follow";

    private final RecordsHandler records;
    private final AdmissionFilter admission;
    private final ApiErrorHandler errors;
    /** One scheduler per event loop (a handful), not one per read. */
    private final Map<EventLoop, Scheduler> loops = new ConcurrentHashMap<>();

    public DirectReads(HttpApi api, AdmissionFilter admission, ApiErrorHandler errors) {
        this.records = api.records();
        this.admission = admission;
        this.errors = errors;
    }

    /** {@code full}, with the plain partition reads served ahead of it. */
    public HttpHandler decorate(HttpHandler full) {
        return (request, response) -> handle(request, response, full);
    }

    private Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response, HttpHandler full) {
        RecordsHandler.Read read = directRead(request);
        if (read == null || !admission.tryAdmitRead()) {
            return full.handle(request, response);
        }
        return records.answer(read)
                .publishOn(loopOf(request))
                .flatMap(answer -> write(answer, response))
                // a pooled body dropped by a cancellation (client gone) goes back to the pool
                .doOnDiscard(RecordsHandler.Answer.class, RecordsHandler.Answer::release)
                .onErrorResume(error -> errors.write(request, response, error))
                .doFinally(signal -> admission.releaseRead());
    }

    /**
     * The event loop of the request's connection, where its answer is written: a read completes on the thread that
     * answered it (the deadline timer, a storage thread), and writing from there would hand each write and flush to the
     * loop as tasks of their own, waking it for each. An answer handed over whole wakes the loop once, and the
     * timeouts that expire together share that wake-up. Off Reactor Netty (a test's request), where it completed.
     */
    private Scheduler loopOf(ServerHttpRequest request) {
        Object connection;
        try {
            connection = ServerHttpRequestDecorator.getNativeRequest(request);
        } catch (RuntimeException e) {
            return Schedulers.immediate(); // no native request (a test's request): not served by Reactor Netty
        }
        if (connection instanceof Connection netty) {
            return loops.computeIfAbsent(netty.channel().eventLoop(), Schedulers::fromExecutor);
        }
        return Schedulers.immediate();
    }

    /** The read if this request is one served here, else null. */
    private RecordsHandler.Read directRead(ServerHttpRequest request) {
        if (!HttpMethod.GET.equals(request.getMethod())) {
            return null;
        }
        Matcher path = PATH.matcher(request.getPath().value());
        if (!path.matches()) {
            return null;
        }
        HttpHeaders headers = request.getHeaders();
        MultiValueMap<String, String> query = request.getQueryParams();
        if (query.containsKey(FOLLOW) || headers.getOrigin() != null) {
            return null;
        }
        try {
            return records.parse(path.group(1), path.group(2), query, headers.getAccept());
        } catch (RuntimeException e) {
            return null; // the full path answers with the route's error, as before
        }
    }

    /** What the route's {@code ServerResponse} writes: status, headers, the body with its length (or none). */
    private static Mono<Void> write(RecordsHandler.Answer answer, ServerHttpResponse response) {
        response.setStatusCode(answer.status());
        response.getHeaders().putAll(answer.headers());
        DataBuffer body = answer.body();
        if (body == null) {
            return response.setComplete();
        }
        response.getHeaders().setContentLength(body.readableByteCount());
        return response.writeWith(Mono.just(body));
    }
}
