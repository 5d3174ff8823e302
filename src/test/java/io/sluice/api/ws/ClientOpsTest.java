package io.sluice.api.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.http.StreamFormat;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.stream.StartSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class ClientOpsTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final ClientOps ops = new ClientOps(json, 500);

    @Test
    void subscribeDefaultsToAllPartitionsFromLatestWithoutCredit() {
        ClientOps.Subscribe s = ops.subscribe(ops.parse("{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\"}"));
        assertThat(s.partitions()).isNull();
        assertThat(s.start()).isInstanceOf(StartSpec.Latest.class);
        assertThat(s.credit()).isNull();
        assertThat(s.maxRecords()).isEqualTo(500);
        assertThat(s.format()).isEqualTo(StreamFormat.JSON);
    }

    @Test
    void subscribeReadsEveryStartKind() {
        assertThat(start("\"from\":\"earliest\"")).isInstanceOf(StartSpec.Earliest.class);
        assertThat(start("\"from\":\"timestamp\",\"timestamp\":1234")).isEqualTo(new StartSpec.AtTimestamp(1234));
        assertThat(start("\"from\":\"token\",\"token\":\"0:5,1:6\""))
                .isEqualTo(new StartSpec.AtOffsets(Map.of(0, 5L, 1, 6L), new StartSpec.Earliest()));
        assertThat(start("\"from\":\"offsets\",\"offsets\":{\"2\":9}"))
                .isEqualTo(new StartSpec.AtOffsets(Map.of(2, 9L), new StartSpec.Latest()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"op\":\"subscribe\",\"topic\":\"t\"}",
                "{\"op\":\"subscribe\",\"id\":\"\",\"topic\":\"t\"}",
                "{\"op\":\"subscribe\",\"id\":\"a\"}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"partitions\":[]}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"partitions\":[-1]}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"from\":\"yesterday\"}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"from\":\"timestamp\"}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"from\":\"offsets\",\"offsets\":{\"x\":1}}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"max_records\":0}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"credit\":\"ten\"}",
                "{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\",\"format\":\"xml\"}"
            })
    void invalidSubscriptionsAreRejectedWithAReason(String frame) {
        assertThatThrownBy(() -> ops.subscribe(ops.parse(frame)))
                .isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).errorCode())
                        .isIn(ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_VALUE));
    }

    @Test
    void nonObjectFramesAreMalformed() {
        for (String text : new String[] {"nope", "[1,2]", "42", ""}) {
            assertThatThrownBy(() -> ops.parse(text))
                    .isInstanceOf(SluiceException.class)
                    .satisfies(
                            e -> assertThat(((SluiceException) e).errorCode()).isEqualTo(ErrorCode.MALFORMED_REQUEST));
        }
    }

    @Test
    void produceStoresJsonValuesAsTheirTextAndTextValuesAsUtf8() {
        ClientOps.Produce json = ops.produce(ops.parse(
                "{\"op\":\"produce\",\"correlation_id\":\"c\",\"topic\":\"t\",\"records\":[{\"key\":\"k\",\"value\":{\"a\":1},\"partition\":2,"
                        + "\"headers\":[{\"key\":\"h\",\"value\":\"v\"}]}]}"));
        assertThat(json.correlationId()).isEqualTo("c");
        assertThat(new String(json.records().get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
        assertThat(new String(json.records().get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("\"k\"");
        assertThat(json.records().get(0).partition()).isEqualTo(2);
        assertThat(json.records().get(0).headers().get(0).value()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));

        ClientOps.Produce text = ops.produce(ops.parse(
                "{\"op\":\"produce\",\"topic\":\"t\",\"format\":\"text\",\"records\":[{\"value\":\"héllo\"}]}"));
        assertThat(new String(text.records().get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("héllo");
        assertThat(text.records().get(0).key()).isNull();
    }

    @Test
    void produceNeedsRecords() {
        assertThatThrownBy(() -> ops.produce(ops.parse("{\"op\":\"produce\",\"topic\":\"t\",\"records\":[]}")))
                .isInstanceOf(SluiceException.class);
        assertThatThrownBy(() -> ops.produce(ops.parse("{\"op\":\"produce\",\"topic\":\"t\"}")))
                .isInstanceOf(SluiceException.class);
    }

    private StartSpec start(String fields) {
        return ops.subscribe(ops.parse("{\"op\":\"subscribe\",\"id\":\"a\",\"topic\":\"t\"," + fields + "}"))
                .start();
    }
}
