package io.sluice.group;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exclusive right to read for one consumer instance. At most one permit per instance exists at a time, so two
 * overlapping reads (a long-poll and its retry) can never be handed the same positions. Obtain one from
 * {@link GroupCoordinator#tryAcquireRead} or {@link GroupCoordinator#acquireRead}, pass it to
 * {@link GroupCoordinator#planRead} and {@link GroupCoordinator#advance}, and always {@link #close()} it (idempotent,
 * any thread). A permit of an instance that left or expired is refused by the coordinator. Thread-safe.
 */
public final class ReadPermit implements AutoCloseable {

    private final String group;
    private final String instanceId;
    private final ConsumerInstance owner;
    private final AtomicBoolean released = new AtomicBoolean();

    ReadPermit(String group, String instanceId, ConsumerInstance owner) {
        this.group = group;
        this.instanceId = instanceId;
        this.owner = owner;
    }

    public String group() {
        return group;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Whether {@link #close()} was called. */
    public boolean released() {
        return released.get();
    }

    ConsumerInstance owner() {
        return owner;
    }

    /** Gives the permit back; the next waiting read of the instance (if any) gets a fresh one. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            owner.gate().release(this);
        }
    }

    @Override
    public String toString() {
        return "ReadPermit[" + group + "/" + instanceId + (released() ? ", released]" : "]");
    }
}
