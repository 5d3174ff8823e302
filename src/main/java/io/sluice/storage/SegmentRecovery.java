package io.sluice.storage;

import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Keeps a segment's {@code .log} file sound: decides how much of it is whole, feeding each sound batch to the
 * segment's indexes, and cuts a failed append back off. {@link #validBytes} checks every batch (size, magic, CRC,
 * dense offsets from the base offset) and stops at the first broken one; {@link #reindex} trusts the headers and
 * only requires the batches to be whole. The walks never write the file (cutting a torn tail found at recovery is
 * the segment's job, as it owns the size); only {@link #undoPartialWrite} truncates, back to where the failed
 * append started.
 *
 * <p>Stateless. Thread-safety is the caller's: the walks need the segment's monitor with no append running, so
 * that the file up to {@code size} does not change under them; {@link #undoPartialWrite} needs the partition's
 * writer lock, as any append does.
 */
final class SegmentRecovery {

    /** Receives each sound batch and its position in the file, in file order. */
    interface BatchSink {
        void accept(RecordBatch batch, int position) throws IOException;
    }

    private SegmentRecovery() {}

    /**
     * Checks the batches in the first {@code size} bytes of the file and returns the end of the sound prefix. A
     * broken batch whose offset is below {@code recoveryPoint} was fsync'ed earlier, so it is not torn but corrupt:
     * that throws {@link CorruptLogException} instead of letting the caller cut flushed data away.
     */
    static int validBytes(
            FileChannel ch,
            Path logFile,
            long baseOffset,
            int size,
            long recoveryPoint,
            int maxBatchBytes,
            BatchSink sink)
            throws IOException {
        long expectedOffset = baseOffset;
        int position = 0;
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
        while (position < size) {
            RecordBatch batch = readCheckedBatch(ch, position, size, header, expectedOffset, maxBatchBytes);
            if (batch == null) {
                if (expectedOffset < recoveryPoint) {
                    throw new CorruptLogException("corrupt batch at position " + position + " (offset " + expectedOffset
                            + ") of " + logFile + ", below the recovery point " + recoveryPoint);
                }
                break;
            }
            sink.accept(batch, position);
            position += batch.sizeInBytes();
            expectedOffset = batch.lastOffset() + 1;
        }
        return position;
    }

    private static RecordBatch readCheckedBatch(
            FileChannel ch, int position, int size, ByteBuffer header, long expectedOffset, int maxBatchBytes)
            throws IOException {
        header.clear();
        while (header.hasRemaining() && ch.read(header, position + header.position()) >= 0) {}
        if (header.hasRemaining()) {
            return null;
        }
        int length = header.getInt(RecordBatch.LENGTH_OFFSET);
        long batchSize = (long) RecordBatch.LOG_OVERHEAD + length;
        if (batchSize < RecordBatch.HEADER_SIZE || position + batchSize > size || batchSize > maxBatchBytes) {
            return null;
        }
        RecordBatch batch = readBatch(ch, position, (int) batchSize);
        if (!batch.isValid() || batch.baseOffset() != expectedOffset || batch.lastOffsetDelta() < 0) {
            return null;
        }
        return batch;
    }

    /**
     * Feeds the batch headers in the first {@code size} bytes to the sink without checking CRCs (used when an index
     * file is inconsistent with a log that was already recovered); a batch that is not whole is corrupt.
     */
    static void reindex(FileChannel ch, Path logFile, int size, BatchSink sink) throws IOException {
        BatchScanner scanner = new BatchScanner(ch, 0, size);
        while (scanner.next()) {
            sink.accept(scanner.header(), (int) scanner.position());
        }
        if (scanner.stoppedEarly()) {
            throw new CorruptLogException("broken batch at position " + scanner.nextPosition() + " of " + logFile);
        }
    }

    /**
     * A write failed midway: cuts its bytes off so nothing half-written stays in the file. A full disk is then a
     * refused append ({@link DiskFullException}, the log stays usable); any other error, or a failed cut, is
     * returned as it is and takes the partition offline.
     */
    static IOException undoPartialWrite(FileChannel ch, Path logFile, int start, IOException failure)
            throws DiskFullException {
        try {
            ch.truncate(start);
        } catch (IOException cut) {
            failure.addSuppressed(cut);
            return failure;
        }
        if (StorageErrors.isDiskFull(failure)) {
            throw new DiskFullException("append to " + logFile + " refused: disk full", failure);
        }
        return failure;
    }

    /** The whole batch at this position, read from the file into a new buffer. */
    static RecordBatch readBatch(FileChannel ch, int position, int sizeInBytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(sizeInBytes);
        while (buf.hasRemaining() && ch.read(buf, position + buf.position()) >= 0) {}
        return RecordBatch.wrap(buf.flip());
    }
}
