package io.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The produce request bodies the load generator sends, built from records at send time (never a replayed body).
 *
 * <ul>
 *   <li>{@code json}: {@code application/json}, {@code {"records":[{"partition":p,"value":"..."}]}}, values are
 *       JSON strings;
 *   <li>{@code binary}: Confluent v2 binary embedded format, same envelope, values base64;
 *   <li>{@code ndjson}: {@code application/x-ndjson}, one {@code {"partition":p,"value":"..."}} object per line.
 * </ul>
 *
 * Stateless; every call allocates its own scratch space, so it is safe from any thread.
 */
enum BodyFormat {
    JSON("application/json"),
    BINARY("application/vnd.kafka.binary.v2+json"),
    NDJSON("application/x-ndjson");

    private static final byte[] OPEN = "{\"records\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTITION = "{\"partition\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = ",\"value\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}".getBytes(StandardCharsets.US_ASCII);

    private final String contentType;

    BodyFormat(String contentType) {
        this.contentType = contentType;
    }

    String contentType() {
        return contentType;
    }

    static BodyFormat parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** Encodes records {@code firstSeq .. firstSeq+count-1}, all for {@code partition}. */
    ByteBuf encode(ByteBufAllocator alloc, ValueSource values, long firstSeq, int count, int partition) {
        int encodedValue = this == BINARY ? 4 * ((values.size() + 2) / 3) : values.size();
        ByteBuf out = alloc.buffer(OPEN.length + count * (encodedValue + 40) + CLOSE.length);
        byte[] raw = new byte[values.size()];
        byte[] base64 = this == BINARY ? new byte[encodedValue] : null;
        byte[] partitionDigits = Integer.toString(partition).getBytes(StandardCharsets.US_ASCII);
        if (this != NDJSON) {
            out.writeBytes(OPEN);
        }
        for (int i = 0; i < count; i++) {
            if (i > 0 && this != NDJSON) {
                out.writeByte(',');
            }
            out.writeBytes(PARTITION).writeBytes(partitionDigits).writeBytes(VALUE);
            values.write(firstSeq + i, raw, 0);
            if (base64 != null) {
                Base64.getEncoder().encode(raw, base64);
                out.writeBytes(base64);
            } else {
                out.writeBytes(raw);
            }
            out.writeBytes(END);
            if (this == NDJSON) {
                out.writeByte('\n');
            }
        }
        if (this != NDJSON) {
            out.writeBytes(CLOSE);
        }
        return out;
    }
}
