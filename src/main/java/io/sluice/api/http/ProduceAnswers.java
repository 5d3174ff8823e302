package io.sluice.api.http;

import io.sluice.produce.ProducedOffsets;
import io.sluice.produce.RecordOffset;
import java.util.List;

/**
 * Writes produce answers as JSON text directly, without a tree or a mapper: {@code {"offsets":[{"partition":p,
 * "offset":o},...]}} for a request, {@code {"partition":p,"offset":o}} for an NDJSON line. The same text Jackson
 * writes for the {@link RecordOffset} list. Stateless, thread-safe.
 */
final class ProduceAnswers {

    private static final String OPEN = "{\"offsets\":[";
    private static final String CLOSE = "]}";

    private ProduceAnswers() {}

    static byte[] offsets(ProducedOffsets offsets) {
        ByteSink out = new ByteSink(OPEN.length() + offsets.count() * 32 + CLOSE.length());
        out.writeAscii(OPEN);
        for (int i = 0; i < offsets.count(); i++) {
            if (i > 0) {
                out.write(',');
            }
            position(out, offsets.partition(i), offsets.offset(i));
        }
        return out.writeAscii(CLOSE).toByteArray();
    }

    static byte[] offsets(List<RecordOffset> offsets) {
        ByteSink out = new ByteSink(OPEN.length() + offsets.size() * 32 + CLOSE.length());
        out.writeAscii(OPEN);
        for (int i = 0; i < offsets.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            position(out, offsets.get(i).partition(), offsets.get(i).offset());
        }
        return out.writeAscii(CLOSE).toByteArray();
    }

    /** One record's position, {@code {"partition":p,"offset":o}}. */
    static ByteSink position(ByteSink out, int partition, long offset) {
        return out.writeAscii("{\"partition\":")
                .writeDecimal(partition)
                .writeAscii(",\"offset\":")
                .writeDecimal(offset)
                .writeAscii("}");
    }
}
