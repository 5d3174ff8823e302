package io.sluice.group;

/**
 * An instance as its client sees it.
 *
 * @param group the group id
 * @param instanceId the instance id (the wanted name, or a generated one)
 * @param config what the client asked for
 * @param leaseMs the lease length; a call naming the instance within this time keeps it alive
 * @param leaseExpiresAt wall-clock millis when the lease ends unless renewed
 * @param lastSeen wall-clock millis of the last call naming the instance
 */
public record InstanceInfo(
        String group, String instanceId, InstanceConfig config, long leaseMs, long leaseExpiresAt, long lastSeen) {}
