package io.sluice.metadata.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's own file-system abstraction ({@code jdbc:h2:powercut:<path>}) over the real disk, remembering what a power
 * cut would keep: per file, the bytes as of its last {@code force}. Every write, truncate and force through a channel
 * counts as one disk operation; operation number {@code cutAt} and every one after it fail, as if the power went
 * at that moment. {@link Disk#image} then writes the surviving files to another directory, where a fresh H2 opens
 * them the way it would after a reboot.
 *
 * <p>Model: unforced bytes are lost ({@code torn=false}), or survive as an in-order prefix of the unforced writes
 * with the last one torn ({@code torn=true}, a disk that flushed some dirty pages on its own). Directory entries are
 * taken as durable: H2 keeps one database file that exists from the first start, before any cut is armed.
 *
 * <p>H2 creates wrapper instances reflectively, so the current {@link Disk} is static; one test at a time.
 */
public final class PowerCutFilePath extends FilePathWrapper {

    private static final String SCHEME = "powercut";
    private static volatile Disk disk;

    static {
        FilePath.register(new PowerCutFilePath());
    }

    /** Routes H2 files through a new disk; nothing is cut until {@link Disk#arm}. */
    static Disk newDisk() {
        Disk d = new Disk();
        disk = d;
        return d;
    }

    static String url(Path file) {
        return "jdbc:h2:" + SCHEME + ":" + file.toAbsolutePath();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel real = getBase().open(mode);
        return mode.equals("r") ? real : new Channel(disk, Path.of(getBase().toString()), real);
    }

    /** The state of one power domain: what each file holds durably and what is pending. */
    static final class Disk {
        private final Map<Path, FileState> files = new HashMap<>();
        private long operations;
        private long cutAt = Long.MAX_VALUE;
        private boolean off;

        /** From now on, operation number cutAt (counted from here, 1-based) and all later ones fail. */
        synchronized void arm(long cutAtOperation) {
            operations = 0;
            cutAt = cutAtOperation;
        }

        synchronized long operations() {
            return operations;
        }

        synchronized boolean isOff() {
            return off;
        }

        /** Cuts the power now (if it is still on). */
        synchronized void powerOff() {
            off = true;
        }

        /** Writes what survived into dir (same file names), as a reboot would find it. */
        synchronized void image(Path dir, boolean torn, Random random) throws IOException {
            off = true;
            Files.createDirectories(dir);
            for (Map.Entry<Path, FileState> e : files.entrySet()) {
                byte[] survived = torn ? e.getValue().tornImage(random) : e.getValue().synced;
                Files.write(dir.resolve(e.getKey().getFileName()), survived);
            }
        }

        private synchronized FileState track(Path file) throws IOException {
            FileState state = files.get(file);
            if (state == null) {
                // first seen now: what it holds was written before the test armed the cut, and synced then
                state = new FileState(Files.exists(file) ? Files.readAllBytes(file) : new byte[0]);
                files.put(file, state);
            }
            return state;
        }

        private synchronized void operation(String what) throws IOException {
            if (off || ++operations >= cutAt) {
                off = true;
                throw new IOException("power cut at disk operation " + operations + " (" + what + ")");
            }
        }
    }

    /** One file: its bytes at the last force, and the writes since, in order. */
    private static final class FileState {
        byte[] synced;
        final List<Object> pending = new ArrayList<>();

        FileState(byte[] synced) {
            this.synced = synced;
        }

        record Write(long position, byte[] bytes) {}

        record Truncate(long size) {}

        byte[] tornImage(Random random) {
            int keep = random.nextInt(pending.size() + 1);
            byte[] image = synced;
            for (int i = 0; i < keep; i++) {
                boolean last = i == keep - 1;
                Object change = pending.get(i);
                if (change instanceof Write w) {
                    image = apply(image, w, last ? random.nextInt(w.bytes().length + 1) : w.bytes().length);
                } else {
                    image = Arrays.copyOf(image, (int) Math.min(image.length, ((Truncate) change).size()));
                }
            }
            return image;
        }

        private static byte[] apply(byte[] image, Write w, int length) {
            int end = (int) w.position() + length;
            byte[] result = end > image.length ? Arrays.copyOf(image, end) : image.clone();
            System.arraycopy(w.bytes(), 0, result, (int) w.position(), length);
            return result;
        }
    }

    /**
     * A channel that counts each mutation as a disk operation and records it as pending until forced. H2's
     * {@link FileBaseDefault} supplies the relative reads and writes over the positional ones.
     */
    private static final class Channel extends FileBaseDefault {
        private final Disk disk;
        private final Path file;
        private final FileChannel real;

        Channel(Disk disk, Path file, FileChannel real) {
            this.disk = disk;
            this.file = file;
            this.real = real;
        }

        private void record(Object change) throws IOException {
            FileState state = disk.track(file);
            synchronized (disk) {
                state.pending.add(change);
            }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            disk.operation("write " + file.getFileName());
            byte[] bytes = new byte[src.remaining()];
            src.duplicate().get(bytes);
            disk.track(file);
            int written = real.write(src, position);
            record(new FileState.Write(position, Arrays.copyOf(bytes, written)));
            return written;
        }

        @Override
        protected void implTruncate(long size) throws IOException {
            disk.operation("truncate " + file.getFileName());
            disk.track(file);
            real.truncate(size);
            record(new FileState.Truncate(size));
        }

        @Override
        public void force(boolean metaData) throws IOException {
            disk.operation("force " + file.getFileName());
            FileState state = disk.track(file);
            // no real fsync: the model decides what survives, and the test stays fast
            byte[] now = Files.readAllBytes(file);
            synchronized (disk) {
                state.synced = now;
                state.pending.clear();
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return real.size();
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
}
