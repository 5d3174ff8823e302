package io.sluice.quota;

/**
 * The rates one principal may use; 0 means unlimited. Produce bytes count request bodies sent to produce endpoints;
 * read bytes count response bodies of record reads; requests count every API request.
 */
public record QuotaLimits(long produceBytesPerSecond, long readBytesPerSecond, long requestsPerSecond) {

    /** No limit at all. */
    public static final QuotaLimits UNLIMITED = new QuotaLimits(0, 0, 0);

    public QuotaLimits {
        if (produceBytesPerSecond < 0 || readBytesPerSecond < 0 || requestsPerSecond < 0) {
            throw new IllegalArgumentException("quota rates must be >= 0 (0 = unlimited)");
        }
    }

    /** Whether any rate is limited. */
    public boolean limited() {
        return produceBytesPerSecond > 0 || readBytesPerSecond > 0 || requestsPerSecond > 0;
    }
}
