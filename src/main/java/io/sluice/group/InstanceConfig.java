package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.Objects;

/**
 * What a client asks for when it creates a consumer instance.
 *
 * @param name the wanted instance id, or null to have one generated
 * @param format how records are rendered to this instance
 * @param autoOffsetReset where new positions start without a committed offset
 * @param autoCommit whether returned records are committed automatically (at the next read after the auto-commit
 *     interval, when a partition is taken away in a rebalance, and when the instance is deleted)
 * @param fetchMinBytes a read waits until at least this many bytes exist (or its timeout passes)
 * @param requestTimeoutMs the default long-poll timeout of a read
 * @param assignor the assignment strategy wanted, or null for the group's (default {@code sticky})
 */
public record InstanceConfig(
        String name,
        EmbeddedFormat format,
        AutoOffsetReset autoOffsetReset,
        boolean autoCommit,
        int fetchMinBytes,
        long requestTimeoutMs,
        String assignor) {

    public InstanceConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
        if (name != null && !name.matches("[A-Za-z0-9._\\-]{1,249}")) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "instance name must be 1-249 of [A-Za-z0-9._-]: " + name);
        }
        if (fetchMinBytes < 0 || requestTimeoutMs < 0) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "fetch.min.bytes and consumer.request.timeout.ms must be >= 0");
        }
    }

    /** Kafka's defaults: binary format, latest, auto-commit on, 1 byte, 1 s. */
    public static InstanceConfig defaults() {
        return new InstanceConfig(null, EmbeddedFormat.BINARY, AutoOffsetReset.LATEST, true, 1, 1_000, null);
    }

    public InstanceConfig withName(String newName) {
        return new InstanceConfig(
                newName, format, autoOffsetReset, autoCommit, fetchMinBytes, requestTimeoutMs, assignor);
    }

    public InstanceConfig withAutoOffsetReset(AutoOffsetReset reset) {
        return new InstanceConfig(name, format, reset, autoCommit, fetchMinBytes, requestTimeoutMs, assignor);
    }

    public InstanceConfig withAutoCommit(boolean enabled) {
        return new InstanceConfig(name, format, autoOffsetReset, enabled, fetchMinBytes, requestTimeoutMs, assignor);
    }

    public InstanceConfig withAssignor(String strategy) {
        return new InstanceConfig(name, format, autoOffsetReset, autoCommit, fetchMinBytes, requestTimeoutMs, strategy);
    }
}
