package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EmbeddedFormatTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void jsonValuesAreStoredAsCompactJsonAndReadBackEqual() {
        JsonNode value = MAPPER.readTree("{ \"a\" : [1, 2.5, null, \"x\"] }");

        byte[] stored = EmbeddedFormat.JSON.toBytes(value, "value", MAPPER);

        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2.5,null,\"x\"]}");
        assertThat(EmbeddedFormat.JSON.toNode(stored, 0, "value", MAPPER)).isEqualTo(value);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void binaryRoundTripsAnyBytes(long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);

        JsonNode shown = EmbeddedFormat.BINARY.toNode(bytes, 0, "value", MAPPER);

        assertThat(EmbeddedFormat.BINARY.toBytes(shown, "value", MAPPER))
                .as("seed %d", seed)
                .isEqualTo(bytes);
    }

    @Test
    void bytesThatCannotBeShownAre406NamingTheOffset() {
        byte[] notJson = "{oops".getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {(byte) 0xc3, (byte) 0x28};

        assertThatThrownBy(() -> EmbeddedFormat.JSON.toNode(notJson, 17, "value", MAPPER))
                .hasMessageContaining("offset 17")
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.NOT_ACCEPTABLE);
        assertThatThrownBy(() -> EmbeddedFormat.TEXT.toNode(notUtf8, 18, "key", MAPPER))
                .hasMessageContaining("offset 18")
                .hasMessageContaining("key");
        assertThatThrownBy(() -> EmbeddedFormat.TEXT.headerToNode(notUtf8, 19)).hasMessageContaining("offset 19");
    }

    @Test
    void nullAndMissingMeanAbsent() {
        assertThat(EmbeddedFormat.JSON.toBytes(null, "key", MAPPER)).isNull();
        assertThat(EmbeddedFormat.TEXT.toBytes(MAPPER.readTree("null"), "key", MAPPER))
                .isNull();
        assertThat(EmbeddedFormat.BINARY.toNode(null, 0, "value", MAPPER).isNull())
                .isTrue();
    }

    @Test
    void textAndBinaryNeedStrings() {
        assertThatThrownBy(() -> EmbeddedFormat.TEXT.toBytes(MAPPER.readTree("12"), "records[0].value", MAPPER))
                .hasMessageContaining("records[0].value");
        assertThatThrownBy(() -> EmbeddedFormat.BINARY.toBytes(MAPPER.readTree("\"!!\""), "records[1].key", MAPPER))
                .hasMessageContaining("records[1].key")
                .hasMessageContaining("base64");
    }

    @Test
    void contentTypesMapToFormats() {
        assertThat(EmbeddedFormat.ofContentType(MediaType.APPLICATION_JSON)).contains(EmbeddedFormat.JSON);
        assertThat(EmbeddedFormat.ofContentType(MediaType.parseMediaType("application/vnd.kafka.json.v2+json")))
                .contains(EmbeddedFormat.JSON);
        assertThat(EmbeddedFormat.ofContentType(MediaType.parseMediaType("application/vnd.kafka.binary.v2+json")))
                .contains(EmbeddedFormat.BINARY);
        assertThat(EmbeddedFormat.ofContentType(MediaType.parseMediaType("application/vnd.sluice.text.v2+json")))
                .contains(EmbeddedFormat.TEXT);
        assertThat(EmbeddedFormat.ofContentType(MediaType.TEXT_PLAIN)).isEmpty();
    }
}
