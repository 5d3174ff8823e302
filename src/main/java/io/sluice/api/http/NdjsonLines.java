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
        int lastNewline = lastNewline(data);
        if (lastNewline < 0) {
            keep(data, 0, sink);
            return;
        }
        Group group = split(data, lastNewline);
        keep(data, lastNewline + 1, null);
        if (group.count() > 0) {
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

    /** Lines up to the newline at {@code lastNewline}; stops before a line over the limit (which it leaves last). */
    private Group split(byte[] data, int lastNewline) {
        int lines = 0;
        for (int i = 0; i <= lastNewline; i++) {
            lines += data[i] == '\n' ? 1 : 0;
        }
        int[] starts = new int[lines];
        int[] ends = new int[lines];
        int count = 0;
        int start = 0;
        for (int i = 0; i <= lastNewline && count < lines; i++) {
            if (data[i] == '\n') {
                starts[count] = start;
                ends[count] = i;
                count++;
                if (i - start > maxLineBytes) {
                    break;
                }
                start = i + 1;
            }
        }
        long first = nextLine;
        overLimit = count > 0 && ends[count - 1] - starts[count - 1] > maxLineBytes;
        int usable = overLimit ? count - 1 : count;
        nextLine += usable;
        return new Group(data, starts, ends, usable, first);
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

    private static int lastNewline(byte[] data) {
        for (int i = data.length - 1; i >= 0; i--) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
