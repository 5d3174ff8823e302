package io.sluice.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * {@link StorageFiles} on the real file system that fails on demand for files under one directory: writes (after
 * writing half of what they were given, as a filling disk does), fsyncs, or reads. Faults are switched on and off
 * while the log runs (also under a running server, as its {@code StorageFiles} bean). Thread-safe.
 */
public final class FaultyFiles implements StorageFiles {

    public enum Fault {
        NONE,
        DISK_FULL,
        FSYNC_FAILS,
        READ_FAILS
    }

    private final StorageFiles real = StorageFiles.real();
    private volatile Path target;
    private volatile Fault fault = Fault.NONE;
    private volatile int injected;

    /** Faults hit files under dir from now on; NONE clears them. */
    public void inject(Path dir, Fault fault) {
        this.target = dir;
        this.fault = fault;
    }

    public int injected() {
        return injected;
    }

    private boolean hits(Path file, Fault kind) {
        Path t = target;
        boolean hit = fault == kind && t != null && file.startsWith(t);
        if (hit) {
            injected++;
        }
        return hit;
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return new Channel(file, real.open(file, options));
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        if (hits(target, Fault.DISK_FULL)) {
            throw new IOException("No space left on device");
        }
        real.move(source, target);
    }

    @Override
    public boolean deleteIfExists(Path file) throws IOException {
        return real.deleteIfExists(file);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        if (hits(dir, Fault.FSYNC_FAILS)) {
            throw new IOException("Input/output error");
        }
        real.fsyncDirectory(dir);
    }

    @Override
    public void forceMapped(Path file, MappedByteBuffer mapping) throws IOException {
        if (hits(file, Fault.FSYNC_FAILS)) {
            throw new IOException("Input/output error");
        }
        real.forceMapped(file, mapping);
    }

    private final class Channel extends FileChannel {
        private final Path file;
        private final FileChannel ch;

        Channel(Path file, FileChannel ch) {
            this.file = file;
            this.ch = ch;
        }

        private void checkRead() throws IOException {
            if (hits(file, Fault.READ_FAILS)) {
                throw new IOException("Input/output error");
            }
        }

        /** A full disk takes half the bytes, then fails. */
        private int write(ByteBuffer src, long position, boolean positional) throws IOException {
            if (hits(file, Fault.DISK_FULL)) {
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + half.remaining() / 2);
                if (positional) {
                    ch.write(half, position);
                } else {
                    ch.write(half);
                }
                throw new IOException("No space left on device");
            }
            return positional ? ch.write(src, position) : ch.write(src);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            checkRead();
            return ch.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            checkRead();
            return ch.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            checkRead();
            return ch.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write(src, -1, false);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (hits(file, Fault.DISK_FULL)) {
                throw new IOException("No space left on device");
            }
            return ch.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return write(src, position, true);
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (hits(file, Fault.FSYNC_FAILS)) {
                throw new IOException("Input/output error");
            }
            ch.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            checkRead();
            return ch.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return ch.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return ch.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return ch.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return ch.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
        }
    }
}
