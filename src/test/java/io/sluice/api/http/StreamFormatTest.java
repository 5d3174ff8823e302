package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.record.Header;
import io.sluice.stream.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class StreamFormatTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private static StreamRecord record(byte[] key, byte[] value) {
        return new StreamRecord("t", 1, 7, 1000, key, value, List.of(new Header("h", bytes("hv"))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonFormatParsesJsonAndNeverFailsOnOtherBytes() {
        ObjectNode node = StreamFormat.JSON.toJson(record(bytes("\"k\""), bytes("{\"n\":1}")), json);
        assertThat(node.path("key").asString()).isEqualTo("k");
        assertThat(node.path("value").path("n").asInt()).isEqualTo(1);
        assertThat(node.path("topic").asString()).isEqualTo("t");
        assertThat(node.path("partition").asInt()).isEqualTo(1);
        assertThat(node.path("offset").asLong()).isEqualTo(7);
        assertThat(node.path("headers").get(0).path("value").asString()).isEqualTo("hv");

        ObjectNode plain = StreamFormat.JSON.toJson(record(null, bytes("not json")), json);
        assertThat(plain.path("value").asString()).isEqualTo("not json");
        assertThat(plain.get("key").isNull()).isTrue();

        ObjectNode binary = StreamFormat.JSON.toJson(record(null, new byte[] {(byte) 0xff, 0x00}), json);
        assertThat(binary.path("value").isString()).isTrue();
    }

    @Test
    void binaryFormatIsBase64AndTextFormatIsUtf8() {
        ObjectNode binary = StreamFormat.BINARY.toJson(record(new byte[] {1, 2, 3}, bytes("{}")), json);
        assertThat(binary.path("key").asString()).isEqualTo("AQID");
        assertThat(binary.path("headers").get(0).path("value").asString()).isEqualTo("aHY=");

        ObjectNode text = StreamFormat.TEXT.toJson(record(null, bytes("{\"n\":1}")), json);
        assertThat(text.path("value").asString()).isEqualTo("{\"n\":1}");
    }
}
