package io.sluice.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of a segment file holding whole record batches, handed to readers without copying. The bytes are read
 * from the file only when the caller asks: {@link #readFully()} copies them to the heap, {@link #readInto} into
 * memory the caller supplies (e.g. off-heap, which the JDK reads into without a bounce buffer), {@link #transferTo}
 * lets the kernel send them straight to a socket or file.
 *
 * <p>Immutable; safe to use from any thread. The range lies below the high watermark captured when the slice was
 * made, so its content does not change afterwards, unless retention deletes the segment, in which case reading
 * fails with a {@link StorageException}.
 */
public final class FileSlice {

    private static final FileSlice EMPTY = new FileSlice(null, 0, 0);

    private final FileChannel channel;
    private final long position;
    private final int size;

    FileSlice(FileChannel channel, long position, int size) {
        this.channel = channel;
        this.position = position;
        this.size = size;
    }

    public static FileSlice empty() {
        return EMPTY;
    }

    public int sizeInBytes() {
        return size;
    }

    /** The bytes of the slice in a new heap buffer, positioned at 0 with the limit at the end. */
    public ByteBuffer readFully() {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        readInto(buffer);
        return buffer.flip();
    }

    /**
     * Reads the whole slice into target from its position, which advances by {@link #sizeInBytes()}; target must
     * have that much room.
     */
    public void readInto(ByteBuffer target) {
        if (target.remaining() < size) {
            throw new IllegalArgumentException(
                    "a slice of " + size + " bytes does not fit in " + target.remaining() + " bytes");
        }
        int start = target.position();
        ByteBuffer window = target.duplicate().limit(start + size);
        try {
            while (window.hasRemaining()) {
                int n = channel.read(window, position + (window.position() - start));
                if (n < 0) {
                    throw new StorageException("segment file ended before the slice end " + (position + size));
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read log slice", e);
        }
        target.position(start + size);
    }

    /** Sends the whole slice to target, zero-copy where the platform allows; returns the bytes sent. */
    public long transferTo(WritableByteChannel target) {
        long sent = 0;
        try {
            while (sent < size) {
                long n = channel.transferTo(position + sent, size - sent, target);
                if (n <= 0) {
                    break;
                }
                sent += n;
            }
        } catch (IOException e) {
            throw new StorageException("cannot transfer log slice", e);
        }
        return sent;
    }

    @Override
    public String toString() {
        return "FileSlice(position=" + position + ", size=" + size + ")";
    }
}
