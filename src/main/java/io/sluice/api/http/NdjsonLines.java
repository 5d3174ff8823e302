package io.sluice.api.http;

import java.util.Arrays;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.SynchronousSink;

/**
 * Splits a streamed body into lines at {@code '\n'} (which never occurs inside a multi-byte UTF-8 sequence), one
 * {@link Group} per network chunk holding every line that chunk completed, so the lines that have arrived together
 * are handled together. The part of a line still arriving is kept until its newline (or the end of the body); a line
 * longer than the limit fails the stream with {@link DataBufferLimitException} after the lines before it. Lines keep
 * a {@code '\r'} before the newline. One instance per stream, used from one subscriber at a time.
 */
final class NdjsonLines {

    /** Lines {@code firstLine, firstLine + 1, ...} of the stream, as slices of {@code data}. */
    record Group(byte[] data, int[] starts, int[] ends, int count, long firstLine) {}

    private final int maxLineBytes;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private long nextLine;
    private boolean overLimit;

    NdjsonLines(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Takes one chunk (and releases it); emits the lines it completes, if any. */
    void accept(DataBuffer chunk, SynchronousSink<Group> sink) {
        byte[] data;
        try {
            int readable = chunk.readableByteCount();
            data = Arrays.copyOf(pending, pendingLength + readable);
            chunk.read(data, pendingLength, readable);
        } finally {
            DataBufferUtils.release(chunk);
        }
        // the kept part holds no newline, so the search starts at the new bytes
        Group group = split(data, pendingLength);
        if (group == null) {
            keep(data, 0, sink);
            return;
        }
        int count = group.count();
        keep(data, overLimit ? group.data().length : group.ends()[count - 1] + 1, null);
        if (count > 0) {
            sink.next(group);
        }
        if (overLimit || pendingLength > maxLineBytes) {
            sink.error(tooLong());
        }
    }

    /** The last line, if the body did not end with a newline; null otherwise. */
    Group finish() {
        if (pendingLength == 0) {
            return null;
        }
        byte[] data = Arrays.copyOf(pending, pendingLength);
        pendingLength = 0;
        return new Group(data, new int[] {0}, new int[] {data.length}, 1, nextLine++);
    }

    /**
     * The complete lines of {@code data} (null if none), in one pass from {@code from}; stops before a line over the
     * limit (setting {@link #overLimit}).
     */
    private Group split(byte[] data, int from) {
        int newline = ByteScan.indexOfNewline(data, from, data.length);
        if (newline < 0) {
            return null;
        }
        int[] starts = new int[16];
        int[] ends = new int[16];
        int count = 0;
        int start = 0;
        overLimit = false;
        while (newline >= 0) {
            if (newline - start > maxLineBytes) {
                overLimit = true;
                break;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = newline;
            count++;
            start = newline + 1;
            newline = ByteScan.indexOfNewline(data, start, data.length);
        }
        long first = nextLine;
        nextLine += count;
        return new Group(data, starts, ends, count, first);
    }

    private void keep(byte[] data, int from, SynchronousSink<Group> sink) {
        pendingLength = data.length - from;
        pending = from == 0 ? data : Arrays.copyOfRange(data, from, data.length);
        if (sink != null && pendingLength > maxLineBytes) {
            sink.error(tooLong());
        }
    }

    private DataBufferLimitException tooLong() {
        return new DataBufferLimitException("line longer than " + maxLineBytes + " bytes");
    }
}
