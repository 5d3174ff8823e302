package io.sluice.produce;

import io.sluice.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One record to produce. {@code key}/{@code value} are the stored bytes (null = absent); {@code partition} pins the
 * record (null = let the partitioner choose); {@code timestamp} is the create time in epoch millis (null = now).
 */
public record ProduceRecord(byte[] key, byte[] value, Integer partition, List<Header> headers, Long timestamp) {

    public ProduceRecord {
        headers = List.copyOf(headers);
    }

    /**
     * At least the bytes this record takes inside a v2 batch: its varint-framed fields (each at most 5 or 10 bytes of
     * length prefix) plus key, value and headers.
     */
    long encodedSizeUpperBound() {
        long size = 40 + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += 10
                    + header.key().getBytes(StandardCharsets.UTF_8).length
                    + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /** Stored size estimate for metrics: key + value + header bytes. */
    public long payloadBytes() {
        long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }
}
