package io.sluice.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip for a batch's records section, with the JDK's codec. Decompression is capped so a small hostile batch cannot
 * expand into an unbounded amount of memory. Stateless.
 */
final class GzipCodec {

    /** No batch Sluice accepts decompresses to more than this; a larger one is refused, not allocated. */
    static final int MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

    private GzipCodec() {}

    static ByteBuffer decompress(ByteBuffer compressed) {
        try (InputStream in = new GZIPInputStream(new ByteBufferInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, compressed.remaining() * 4));
            byte[] chunk = new byte[8192];
            int read;
            while ((read = in.read(chunk)) != -1) {
                if (out.size() + read > MAX_DECOMPRESSED_BYTES) {
                    throw new InvalidRecordException(
                            InvalidRecordException.Reason.RECORD_TOO_LARGE,
                            "gzip batch expands beyond " + MAX_DECOMPRESSED_BYTES + " bytes");
                }
                out.write(chunk, 0, read);
            }
            return ByteBuffer.wrap(out.toByteArray());
        } catch (IOException e) {
            throw new InvalidRecordException(InvalidRecordException.Reason.INVALID_RECORD, "bad gzip data: " + e, e);
        }
    }

    static byte[] compress(ByteBuffer raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.remaining() / 2));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            ByteBuffer source = raw.duplicate();
            byte[] chunk = new byte[8192];
            while (source.hasRemaining()) {
                int n = Math.min(chunk.length, source.remaining());
                source.get(chunk, 0, n);
                gzip.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return out.toByteArray();
    }

    private static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer buffer;

        ByteBufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer.duplicate();
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(bytes, offset, n);
            return n;
        }
    }
}
