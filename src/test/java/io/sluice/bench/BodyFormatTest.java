package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class BodyFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ValueSource values = new ValueSource(100);

    @Test
    void jsonBodyCarriesEveryRecordWithItsPartitionAndDistinctValues() {
        JsonNode records = JSON.readTree(encode(BodyFormat.JSON, 7, 5, 2)).get("records");

        assertThat(records).hasSize(5);
        assertThat(records.get(0).get("partition").intValue()).isEqualTo(2);
        assertThat(records.get(0).get("value").stringValue()).hasSize(100).startsWith("000000000007");
        assertThat(records.get(4).get("value").stringValue()).startsWith("000000000011");
        assertThat(records.get(0).get("value").stringValue().substring(12))
                .isNotEqualTo(records.get(1).get("value").stringValue().substring(12));
    }

    @Test
    void binaryBodyCarriesBase64OfTheSameValues() {
        JsonNode records = JSON.readTree(encode(BodyFormat.BINARY, 0, 3, 0)).get("records");
        JsonNode plain = JSON.readTree(encode(BodyFormat.JSON, 0, 3, 0)).get("records");

        for (int i = 0; i < 3; i++) {
            byte[] decoded =
                    Base64.getDecoder().decode(records.get(i).get("value").stringValue());
            assertThat(new String(decoded, StandardCharsets.US_ASCII))
                    .isEqualTo(plain.get(i).get("value").stringValue());
        }
    }

    @Test
    void ndjsonBodyIsOneRecordObjectPerLine() {
        List<String> lines = encode(BodyFormat.NDJSON, 0, 4, 1).lines().toList();

        assertThat(lines).hasSize(4);
        for (String line : lines) {
            JsonNode record = JSON.readTree(line);
            assertThat(record.get("partition").intValue()).isEqualTo(1);
            assertThat(record.get("value").stringValue()).hasSize(100);
        }
    }

    @Test
    void valuesShorterThanTheSequencePrefixStillHaveTheRequestedSize() {
        byte[] out = new byte[5];

        assertThat(new ValueSource(5).write(123, out, 0)).isEqualTo(5);
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("00123");
    }

    private String encode(BodyFormat format, long firstSeq, int count, int partition) {
        ByteBuf body = format.encode(UnpooledByteBufAllocator.DEFAULT, values, firstSeq, count, partition);
        try {
            return body.toString(StandardCharsets.US_ASCII);
        } finally {
            body.release();
        }
    }
}
