package io.sluice.common;

import java.time.Duration;

/**
 * A request refused for now, not for good: the server is over a bound (in-flight bytes, waiting reads, a full storage
 * queue) or the caller over its quota. Answered 429 {@link ErrorCode#TOO_MANY_REQUESTS} with {@code Retry-After}.
 */
public class RetryLaterException extends SluiceException {

    private final Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(ErrorCode.TOO_MANY_REQUESTS, message);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
