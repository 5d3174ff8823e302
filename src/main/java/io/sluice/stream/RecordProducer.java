package io.sluice.stream;

import io.sluice.record.Header;
import java.util.List;

/**
 * Produce as streams need it (the WebSocket {@code produce} operation), as a port the wiring implements over the
 * produce service. Blocking; thread-safe; failures are {@link io.sluice.common.SluiceException}s.
 */
public interface RecordProducer {

    /** One record to append; key/value null = absent, partition null = let the partitioner choose, timestamp null = now. */
    record Outgoing(byte[] key, byte[] value, Integer partition, List<Header> headers, Long timestamp) {
        public Outgoing {
            headers = List.copyOf(headers);
        }
    }

    /** Where one record went. */
    record Placed(int partition, long offset) {}

    /** Appends the records in order and returns where each went, in the same order. */
    List<Placed> produce(String topic, List<Outgoing> records);
}
