package io.sluice.storage;

import io.sluice.storage.ProducerStateEntry.BatchMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and writes producer state snapshot files ({@code <offset>.snapshot}: the state after every batch below
 * that offset). Layout, big-endian:
 *
 * <pre>
 * int version (1) | int entryCount | entries... | int crc32c of everything before it
 * entry: long producerId | short epoch | long lastTimestamp | byte batchCount |
 *        batchCount x (int firstSeq | int lastSeq | long firstOffset | long lastOffset)
 * </pre>
 *
 * Written by rename without fsync, off the critical path of a roll: a crash may leave a damaged file, which fails
 * its CRC and is ignored by the caller, which then replays the log further back. Stateless.
 */
final class ProducerStateSnapshot {

    private static final int VERSION = 1;
    private static final int ENTRY_FIXED = 8 + 2 + 8 + 1;
    private static final int BATCH_SIZE = 4 + 4 + 8 + 8;

    private ProducerStateSnapshot() {}

    static void write(Path file, Collection<ProducerStateEntry> entries) throws IOException {
        int size = 8 + 4;
        for (ProducerStateEntry e : entries) {
            size += ENTRY_FIXED + e.batches().length * BATCH_SIZE;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(VERSION).putInt(entries.size());
        for (ProducerStateEntry e : entries) {
            buf.putLong(e.producerId()).putShort(e.epoch()).putLong(e.lastTimestamp());
            buf.put((byte) e.batches().length);
            for (BatchMetadata b : e.batches()) {
                buf.putInt(b.firstSeq())
                        .putInt(b.lastSeq())
                        .putLong(b.firstOffset())
                        .putLong(b.lastOffset());
            }
        }
        buf.putInt((int) crc(buf.array(), buf.position()));
        // not fsync'ed: a snapshot only saves replay time, and a damaged one fails its CRC and is ignored
        AtomicFiles.write(file, buf.flip(), false);
    }

    static List<ProducerStateEntry> read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buf.remaining() < 12 || buf.getInt(buf.limit() - 4) != (int) crc(buf.array(), buf.limit() - 4)) {
            throw new CorruptLogException("producer state snapshot " + file + " fails its checksum");
        }
        if (buf.getInt() != VERSION) {
            throw new CorruptLogException("producer state snapshot " + file + " has an unknown version");
        }
        int count = buf.getInt();
        List<ProducerStateEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long producerId = buf.getLong();
            short epoch = buf.getShort();
            long lastTimestamp = buf.getLong();
            BatchMetadata[] batches = new BatchMetadata[buf.get()];
            for (int j = 0; j < batches.length; j++) {
                batches[j] = new BatchMetadata(buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong());
            }
            entries.add(new ProducerStateEntry(producerId, epoch, lastTimestamp, batches));
        }
        return entries;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
