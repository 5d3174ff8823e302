package io.sluice.common;

/**
 * Every error Sluice reports, with its stable numeric code and HTTP status. Codes follow Confluent REST Proxy v2
 * where a meaning exists there: the first three digits are the HTTP status. Names may change; codes never do.
 */
public enum ErrorCode {
    UNAUTHORIZED(40101, 401),
    FORBIDDEN(40301, 403),
    NOT_FOUND(40400, 404),
    TOPIC_NOT_FOUND(40401, 404),
    PARTITION_NOT_FOUND(40402, 404),
    CONSUMER_INSTANCE_NOT_FOUND(40403, 404),
    CONSUMER_GROUP_NOT_FOUND(40404, 404),
    PRINCIPAL_NOT_FOUND(40405, 404),
    API_KEY_NOT_FOUND(40406, 404),
    METHOD_NOT_ALLOWED(40501, 405),
    NOT_ACCEPTABLE(40601, 406),
    REQUEST_TIMEOUT(40801, 408),
    CONFLICT(40900, 409),
    ALREADY_EXISTS(40902, 409),
    NOT_OWNER(40903, 409),
    GROUP_NOT_EMPTY(40904, 409),
    PAYLOAD_TOO_LARGE(41301, 413),
    RECORD_TOO_LARGE(41302, 413),
    OFFSET_OUT_OF_RANGE(41601, 416),
    URI_TOO_LONG(41401, 414),
    UNSUPPORTED_MEDIA_TYPE(41501, 415),
    INVALID_REQUEST(42201, 422),
    INVALID_VALUE(42202, 422),
    INVALID_RECORD(42203, 422),
    OUT_OF_ORDER_SEQUENCE(42204, 422),
    INVALID_PRODUCER_EPOCH(42205, 422),
    MALFORMED_REQUEST(40001, 400),
    TOO_MANY_REQUESTS(42901, 429),
    HEADERS_TOO_LARGE(43101, 431),
    INTERNAL(50001, 500),
    STORAGE_ERROR(50002, 500),
    NOT_ENOUGH_REPLICAS(50301, 503),
    UNAVAILABLE(50302, 503),
    INSUFFICIENT_STORAGE(50701, 507);

    private final int code;
    private final int httpStatus;

    ErrorCode(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The stable five-digit code sent as {@code error_code}. */
    public int code() {
        return code;
    }

    /** The HTTP status this error is answered with. */
    public int httpStatus() {
        return httpStatus;
    }
}
