package io.sluice.common;

/**
 * An error with a stable {@link ErrorCode}, thrown by services and mapped to a response at the API edge in one
 * place. Storage-level exceptions are translated into these by the services that call storage.
 */
public class SluiceException extends RuntimeException {

    private final ErrorCode errorCode;

    public SluiceException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public SluiceException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
