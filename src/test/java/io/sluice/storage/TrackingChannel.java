package io.sluice.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel of a {@link PowerCutDisk}: delegates to the real channel, counts every mutation as one disk
 * operation (failing it once the power is cut) and tells the disk when the file was forced.
 */
final class TrackingChannel extends FileChannel {

    private final PowerCutDisk disk;
    private final FileChannel real;
    private final Object node;

    TrackingChannel(PowerCutDisk disk, FileChannel real, Object node) {
        this.disk = disk;
        this.real = real;
        this.node = node;
    }

    void closeReal() throws IOException {
        real.close();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        disk.checkOn();
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        disk.checkOn();
        return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        disk.checkOn();
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        disk.tick("write");
        return real.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        disk.tick("write");
        return real.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        disk.tick("write");
        return real.write(src, position);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        disk.tick("truncate");
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        disk.tick("force");
        // no real fsync: the disk model decides what survives, and the sweep stays fast
        disk.synced(PowerCutDisk.nodeOf(node));
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        disk.checkOn();
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        disk.tick("transfer");
        return real.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        disk.checkOn();
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
