package io.sluice.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of fixed-size entries, sorted by a key, memory-mapped only when first used. Knows mapping, resizing and
 * binary search; subclasses define the entry layout and the key.
 *
 * <p>Lifecycle: a new index is an unmapped path. The first access maps it; a <em>writable</em> index (the active
 * segment's) is first extended to {@code maxIndexSize} so appends never remap, and {@link #trimToValidSize()}
 * cuts it back to its entries when the segment stops being active or closes. So on disk a closed index is
 * exactly {@code entries * entrySize} bytes and the entry count is its length divided by the entry size. The
 * file handle is closed right after mapping: a mapping needs no descriptor, which is what lets ten thousand
 * partitions be open at once.
 *
 * <p>Thread-safety: mutations (append, truncate, resize) are made by one thread at a time (the segment's owner
 * serialises them). Lookups need no lock: entries are written before {@code entries} (volatile) is raised, and
 * readers only look at slots below the count they read. Mappings are never unmapped by hand (a reader could
 * still be using one); the garbage collector releases them.
 */
abstract class AbstractIndex {

    protected final long baseOffset;
    private final Path file;
    private final int maxIndexSize;
    private volatile boolean writable;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    AbstractIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxIndexSize = maxIndexSize;
        this.writable = writable;
    }

    abstract int entrySize();

    /** The sort key of the entry in this slot (an absolute offset or a timestamp). */
    abstract long keyAt(MappedByteBuffer buf, int slot);

    /** Checks entries are in order and within bounds; false means the index must be rebuilt. */
    abstract boolean entriesAreConsistent(long logSizeInBytes);

    Path file() {
        return file;
    }

    boolean isMapped() {
        return mmap != null;
    }

    /** Maps the file if not done yet. */
    final MappedByteBuffer buffer() {
        MappedByteBuffer m = mmap;
        if (m == null) {
            synchronized (this) {
                m = mmap;
                if (m == null) {
                    m = map();
                }
            }
        }
        return m;
    }

    private MappedByteBuffer map() {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            int validEntries = (int) (length / entrySize());
            int mappedSize = writable ? roundDown(Math.max(maxIndexSize, validEntries * entrySize())) : (int) length;
            mappedSize = Math.max(mappedSize, validEntries * entrySize());
            if (raf.length() != mappedSize) {
                raf.setLength(mappedSize);
            }
            MappedByteBuffer m = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, mappedSize);
            maxEntries = mappedSize / entrySize();
            entries = validEntries;
            mmap = m;
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map index " + file, e);
        }
    }

    private int roundDown(int size) {
        return Math.max(entrySize(), size - size % entrySize());
    }

    final int entries() {
        buffer();
        return entries;
    }

    final int maxEntries() {
        buffer();
        return maxEntries;
    }

    boolean isFull() {
        return entries() >= maxEntries;
    }

    /** Raises the count after the caller wrote slot {@code entries}: the volatile write publishes the entry. */
    final void commitEntry() {
        entries = entries + 1;
    }

    /** The largest slot whose key is at most target, or -1 when every key is larger (or the index is empty). */
    final int largestLowerBoundSlot(long target) {
        MappedByteBuffer buf = buffer();
        int n = entries;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keyAt(buf, mid) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Keeps only the first {@code n} entries. */
    final synchronized void truncateToEntries(int n) {
        buffer();
        entries = Math.min(entries, Math.max(0, n));
    }

    /** Removes all entries whose key is at least target. */
    final void truncateFromKey(long target) {
        int slot = largestLowerBoundSlot(target - 1);
        truncateToEntries(slot + 1);
    }

    final void reset() {
        truncateToEntries(0);
    }

    /** Cuts the file to exactly its entries, so the next load infers the count from the length. */
    final synchronized void trimToValidSize() {
        if (mmap == null) {
            return;
        }
        int size = entries * entrySize();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
            maxEntries = entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot trim index " + file, e);
        }
    }

    /** The segment stopped being active: cut the preallocated tail and never extend it again. */
    final synchronized void makeReadOnly() {
        trimToValidSize();
        writable = false;
    }

    /** The segment became active again (after a truncation): the next mapping extends the file for appends. */
    final synchronized void makeWritable() {
        trimToValidSize();
        mmap = null;
        writable = true;
    }

    void flush() {
        MappedByteBuffer m = mmap;
        if (m != null) {
            m.force();
        }
    }

    /** Trims a writable index and forgets the mapping; the next use maps it again. */
    final synchronized void close() {
        if (mmap != null && writable) {
            trimToValidSize();
        }
        mmap = null;
    }

    final synchronized void deleteIfExists() throws IOException {
        mmap = null;
        entries = 0;
        Files.deleteIfExists(file);
    }

    final boolean fileExists() {
        return Files.exists(file);
    }

    /** Length of the file on disk, without mapping it. */
    final long fileLength() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit segment " + baseOffset);
        }
        return (int) relative;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + file + ", entries=" + entries + ")";
    }
}
