package io.sluice.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Off-heap {@link ReadBuffers} that count what was taken and given back, for tests of who releases a read's memory.
 * A second release of one buffer counts as an error, not as a release. {@link #onAllocate} runs inside each
 * allocation (e.g. to cancel the read that asked, at the moment it holds the memory). Thread-safe.
 */
public final class CountingReadBuffers implements ReadBuffers {

    private final AtomicInteger allocated = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger doubleReleases = new AtomicInteger();
    private volatile Runnable onAllocate = () -> {};

    public void onAllocate(Runnable hook) {
        this.onAllocate = hook;
    }

    /** Buffers taken and not given back. */
    public int outstanding() {
        return allocated.get() - released.get();
    }

    public int allocated() {
        return allocated.get();
    }

    public int doubleReleases() {
        return doubleReleases.get();
    }

    @Override
    public ReadBuffer allocate(int size) {
        allocated.incrementAndGet();
        ByteBuffer memory = ByteBuffer.allocateDirect(size);
        AtomicBoolean freed = new AtomicBoolean();
        ReadBuffer buffer = new ReadBuffer() {
            @Override
            public ByteBuffer bytes() {
                if (freed.get()) {
                    throw new IllegalStateException("read buffer used after its release");
                }
                return memory.duplicate().clear();
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public void release() {
                if (freed.compareAndSet(false, true)) {
                    released.incrementAndGet();
                }
            }
        };
        onAllocate.run();
        return buffer;
    }
}
