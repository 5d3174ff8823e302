package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.RetryLaterException;
import io.sluice.common.SluiceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The one error mapper: every failure, the framework's own included (unknown route, wrong method, malformed body, too
 * large, wrong content type, not acceptable), becomes the HTTP status plus {@code {"error_code","message"}}. Runs
 * before Spring Boot's default handler. Server errors are logged with their stack; client errors are not. Every 429
 * carries {@code Retry-After} (seconds).
 */
public final class ApiErrorHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    /** Retry-After of a 429 that names no time of its own (a full storage queue): load is usually gone in that. */
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private final ObjectMapper mapper;

    public ApiErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public int getOrder() {
        return -2;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        return write(exchange.getRequest(), exchange.getResponse(), failure);
    }

    /** Answers {@code request} with the error for {@code failure}; fails with it if the response is already sent. */
    public Mono<Void> write(ServerHttpRequest request, ServerHttpResponse response, Throwable failure) {
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        ErrorAnswer answer = answer(
                request.getMethod(),
                request.getPath().value(),
                request.getHeaders().getFirst("Content-Type"),
                failure);
        response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
        response.getHeaders().putAll(answer.headers());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
    }

    /**
     * The error answer for {@code failure} of the request {@code method path} (its Content-Type, or null, tells an
     * unusable Content-Type from an unusable Accept header), for a path that writes its own responses. Logs it as
     * {@link #write} does.
     */
    ErrorAnswer answer(HttpMethod method, String path, String contentType, Throwable failure) {
        Throwable cause = unwrap(failure);
        ApiError error = classify(method, path, contentType, cause);
        if (error.code().httpStatus() >= 500) {
            log.error("{} {} failed", method, path, failure);
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        error.allow().ifPresent(headers::setAllow);
        if (error.status() == 429) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(cause)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", error.code().code());
        body.put("message", error.message());
        return new ErrorAnswer(error.status(), headers, mapper.writeValueAsBytes(body));
    }

    /** An error answer: its status, its headers but Content-Length, and its JSON body. */
    record ErrorAnswer(int status, HttpHeaders headers, byte[] body) {}

    private record ApiError(ErrorCode code, int status, String message, Optional<Set<HttpMethod>> allow) {
        ApiError(ErrorCode code, String message) {
            this(code, code.httpStatus(), message, Optional.empty());
        }
    }

    private static ApiError classify(HttpMethod method, String path, String contentType, Throwable failure) {
        if (failure instanceof SluiceException e) {
            return new ApiError(e.errorCode(), e.getMessage());
        }
        if (failure instanceof ResponseStatusException e) {
            return fromStatus(method, path, e);
        }
        if (failure instanceof InvalidMediaTypeException e) {
            return unparsableMediaType(contentType, e);
        }
        if (failure instanceof DataBufferLimitException) {
            return new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large");
        }
        if (failure instanceof JacksonException e) {
            return new ApiError(ErrorCode.MALFORMED_REQUEST, "malformed JSON: " + e.getOriginalMessage());
        }
        if (failure instanceof RejectedExecutionException) {
            return new ApiError(ErrorCode.TOO_MANY_REQUESTS, "the server is overloaded; retry later");
        }
        return new ApiError(ErrorCode.INTERNAL, "internal error: " + failure);
    }

    /** A Content-Type or Accept header that does not parse (or names a charset this JVM lacks): 415 or 406. */
    private static ApiError unparsableMediaType(String contentType, InvalidMediaTypeException e) {
        try {
            if (contentType != null) {
                MediaType.parseMediaType(contentType);
            }
        } catch (InvalidMediaTypeException badContentType) {
            return new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unusable Content-Type: " + e.getMessage());
        }
        return new ApiError(ErrorCode.NOT_ACCEPTABLE, "unusable Accept header: " + e.getMessage());
    }

    private static ApiError fromStatus(HttpMethod method, String path, ResponseStatusException e) {
        int status = e.getStatusCode().value();
        if (status == 404) {
            Optional<Set<HttpMethod>> allowed = ApiPaths.methodsAt(path);
            if (allowed.isPresent() && !allowed.get().contains(method)) {
                return new ApiError(
                        ErrorCode.METHOD_NOT_ALLOWED,
                        405,
                        "method " + method + " is not allowed on " + path + "; allowed: " + allowed.get(),
                        allowed);
            }
            return new ApiError(ErrorCode.NOT_FOUND, "no such resource: " + method + " " + path);
        }
        String reason =
                e.getReason() != null ? e.getReason() : e.getStatusCode().toString();
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.MALFORMED_REQUEST;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.TOO_MANY_REQUESTS;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        };
        return new ApiError(code, status, reason, Optional.empty());
    }

    /** Whole seconds, rounded up, at least 1: Retry-After has no finer unit, and 0 would invite a busy loop. */
    private static long retryAfterSeconds(Throwable failure) {
        if (failure instanceof RetryLaterException e) {
            long millis = e.retryAfter().toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
        return DEFAULT_RETRY_AFTER_SECONDS;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
