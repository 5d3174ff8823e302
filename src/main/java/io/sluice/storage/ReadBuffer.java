package io.sluice.storage;

import java.nio.ByteBuffer;

/**
 * Memory holding the bytes of one read, supplied by the reader's {@link ReadBuffers} and owned by whoever holds the
 * value: the storage engine fills it and hands it on, the last owner either passes it to the network (which frees it
 * once written) or calls {@link #release()}. A pooled implementation returns its memory to the pool on release.
 *
 * <p>{@link #bytes()} may be called any number of times until the buffer is released; {@link #release()} may be
 * called more than once and after a hand-over (only the first call that still owns the memory frees it). Thread-safe
 * for release; the bytes themselves are not guarded (one owner at a time).
 */
public interface ReadBuffer {

    /** A new view of the bytes: position 0, limit and capacity the buffer's size. Do not use after a release. */
    ByteBuffer bytes();

    /** The number of bytes the buffer holds. */
    int size();

    /** Gives the memory back; a no-op if it was already given back or handed over. */
    void release();

    /** A buffer of no bytes that owns nothing. */
    static ReadBuffer empty() {
        return HeapReadBuffer.EMPTY;
    }

    /** A buffer over the given heap bytes (whole array); release does nothing, the garbage collector frees them. */
    static ReadBuffer wrap(byte[] bytes) {
        return new HeapReadBuffer(bytes);
    }
}
