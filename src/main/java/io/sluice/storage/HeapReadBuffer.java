package io.sluice.storage;

import java.nio.ByteBuffer;

/** A {@link ReadBuffer} over a heap array: nothing to give back, so release does nothing. Immutable. */
record HeapReadBuffer(byte[] array) implements ReadBuffer {

    static final HeapReadBuffer EMPTY = new HeapReadBuffer(new byte[0]);

    @Override
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(array);
    }

    @Override
    public int size() {
        return array.length;
    }

    @Override
    public void release() {
        // heap memory: the garbage collector frees it
    }
}
