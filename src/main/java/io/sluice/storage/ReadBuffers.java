package io.sluice.storage;

/**
 * Where a read puts the batches it serves as they are: memory chosen by the caller, so that the layer that sends
 * the bytes can supply memory it sends from without a further copy (a pooled off-heap buffer of the network
 * library). The storage engine reads the file range straight into it, checks every batch's CRC over those very
 * bytes, and hands the buffer to the caller, who owns it from then on (see {@link ReadBuffer}). If the read or the
 * check fails, the engine releases the buffer itself. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ReadBuffers {

    /** A buffer of exactly {@code size} bytes (its content is overwritten by the read). */
    ReadBuffer allocate(int size);

    /** Plain heap arrays: nothing to release. */
    static ReadBuffers heap() {
        return size -> size == 0 ? ReadBuffer.empty() : ReadBuffer.wrap(new byte[size]);
    }
}
