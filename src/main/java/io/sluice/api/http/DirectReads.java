package io.sluice.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The record reads, by partition ({@code GET /topics/{topic}/partitions/{partition}/records}) and by consumer-group
 * instance ({@code GET /consumers/{group}/instances/{instance}/records}), served as a Reactor Netty route ahead of
 * Spring's whole HTTP stack: its request and response adapters, exchange, filter chain, dispatcher and response
 * builder. A long-poll that ends empty and is sent again is almost only that fixed cost, and a parked poll holds
 * whatever its request allocated until it ends: with 10,000 idle polls that was most of the server's CPU, in the
 * requests and in the garbage collections copying what the parked polls held (BENCHMARKS.md, sessions 4 and 5).
 * Group reads of 100 B records served here cost the server 15-20 % less CPU per record than through that stack
 * (BENCHMARKS.md, session 7).
 *
 * <p>The answer is the route's own: {@link RecordsHandler} and {@link ConsumerRecordsHandler} parse the request and
 * build the answer (status, headers in the same order, body) for both paths, the read holds one unit of the {@link
 * AdmissionFilter}'s read budget until it ends, and a read that fails is answered with the {@link ApiErrorHandler}'s
 * error. Every request this class does not take goes to {@code full} (Spring's handler) unchanged, which answers (or
 * refuses) it exactly as before: another method or path, a path or query with escapes, matrix parameters or a
 * parameter without a plain value, a {@code follow} read (the live routes), a cross-origin request, a parameter or
 * Accept header the route would reject (its error comes from the full path), and a read while the read budget is full
 * (the admission filter refuses and counts it). Installed as {@link DirectRoute} says.
 *
 * <p>Thread-safe; never blocks: the read is parked by the fetch service, as on the full path, and a group read looks
 * its instance up on the storage scheduler.
 */
public final class DirectReads extends DirectRoute {

    /** The routes' paths with both variables as plain segments: no escapes, no matrix parameters. */
    private static final Pattern PARTITION_PATH = Pattern.compile("/topics/([^/;%]+)/partitions/([^/;%]+)/records");

    private static final Pattern GROUP_PATH = Pattern.compile("/consumers/([^/;%]+)/instances/([^/;%]+)/records");

    private static final String FOLLOW = "follow";

    private final RecordsHandler records;
    private final ConsumerRecordsHandler groupRecords;
    private final AdmissionFilter admission;

    /** Serves the plain reads; {@code full} answers every other request sent to {@link #handle}. */
    public DirectReads(
            HttpApi api,
            ConsumerApi consumers,
            AdmissionFilter admission,
            ApiErrorHandler errors,
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> full) {
        super(errors, full);
        this.records = api.records();
        this.groupRecords = consumers.records();
        this.admission = admission;
    }

    /**
     * Whether the request may be a plain read, to be sent to {@link #handle} (which passes on what it does not serve);
     * a cheap look that allocates nothing, as every request of the server asks it.
     */
    public boolean mayServe(HttpServerRequest request) {
        String uri = request.uri();
        return io.netty.handler.codec.http.HttpMethod.GET.equals(request.method())
                && (uri.startsWith("/topics/") || uri.startsWith("/consumers/"))
                && uri.contains("/records");
    }

    /** Answers a plain read, or hands the request to the full path. */
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Mono<? extends ReadAnswer> answer = directAnswer(request);
        if (answer == null || !admission.tryAdmitRead()) {
            return full(request, response);
        }
        return answer.publishOn(loopOf(request))
                .flatMap(ready -> write(ready, response))
                // a pooled body dropped by a cancellation (client gone) goes back to the pool
                .doOnDiscard(ReadAnswer.class, ReadAnswer::release)
                .onErrorResume(error -> writeError(HttpMethod.GET, request, response, error))
                .doFinally(signal -> admission.releaseRead());
    }

    /** The (lazy) answer if this request is a read served here, else null. */
    private Mono<? extends ReadAnswer> directAnswer(HttpServerRequest request) {
        String uri = request.uri();
        String pathPart = pathOf(uri);
        Matcher partition = PARTITION_PATH.matcher(pathPart);
        Matcher group = partition.matches() ? null : GROUP_PATH.matcher(pathPart);
        if (group != null && !group.matches()) {
            return null;
        }
        // the path ends where the query starts, at its '?'
        MultiValueMap<String, String> query =
                pathPart.length() == uri.length() ? new LinkedMultiValueMap<>() : plainQuery(uri, pathPart.length());
        HttpHeaders headers = request.requestHeaders();
        List<String> acceptHeader = headers.getAll(HttpHeaderNames.ACCEPT);
        if (query == null
                || query.containsKey(FOLLOW)
                || headers.contains(HttpHeaderNames.ORIGIN)
                || acceptHeader.size() > 1) {
            return null;
        }
        try {
            List<MediaType> accept =
                    acceptHeader.isEmpty() ? List.of() : MediaType.parseMediaTypes(acceptHeader.get(0));
            if (group == null) {
                return records.answer(records.parse(partition.group(1), partition.group(2), query, accept));
            }
            return groupRecords.answer(groupRecords.parse(group.group(1), group.group(2), query, accept), Mono.empty());
        } catch (RuntimeException e) {
            return null; // the full path answers with the route's error, as before
        }
    }

    /**
     * The query parameters (the first value of each, as the router gives them) when every one is a plain
     * {@code name=value}: nothing to decode, no name without a value. Null otherwise: the full path parses those.
     */
    private static MultiValueMap<String, String> plainQuery(String uri, int queryStart) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        int start = queryStart + 1;
        while (start <= uri.length()) {
            int end = uri.indexOf('&', start);
            if (end < 0) {
                end = uri.length();
            }
            int equals = -1;
            for (int i = start; i < end; i++) {
                char c = uri.charAt(i);
                if (c == '%' || c == '+' || c == '#' || c == '=' && equals >= 0) {
                    return null;
                }
                if (c == '=') {
                    equals = i;
                }
            }
            if (equals <= start || equals == end - 1) {
                return null; // no '=', no name or no value
            }
            query.add(uri.substring(start, equals), uri.substring(equals + 1, end));
            start = end + 1;
        }
        return query;
    }

    /** What the route's {@code ServerResponse} writes: status, headers, the body with its length (or none). */
    private static Mono<Void> write(ReadAnswer answer, HttpServerResponse response) {
        response.status(answer.status().value());
        answer.forEachHeader(response::header);
        DataBuffer body = answer.body();
        if (body == null) {
            return response.send();
        }
        ByteBuf bytes = NettyDataBufferFactory.toByteBuf(body);
        response.header(org.springframework.http.HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.readableBytes()));
        try {
            return response.send(Mono.just(bytes)).then();
        } catch (AbortedException e) { // closed before the send began: the body was never taken
            bytes.release();
            throw e;
        }
    }
}
