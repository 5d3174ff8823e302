package io.sluice.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.TimestampType;
import io.sluice.storage.LogConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicConfigsTest {

    @Test
    void validConfigsAreNormalisedAndApplyOverTheDefaults() {
        Map<String, String> configs = TopicConfigs.validate(Map.of(
                "retention.ms", " 1000 ",
                "segment.bytes", "2048",
                "message.timestamp.type", "LogAppendTime",
                "max.message.bytes", "512"));

        LogConfig config = TopicConfigs.toLogConfig(LogConfig.defaults(), configs);

        assertThat(configs).containsEntry("retention.ms", "1000");
        assertThat(config.retentionMs()).isEqualTo(1000);
        assertThat(config.segmentBytes()).isEqualTo(2048);
        assertThat(config.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(config.maxMessageBytes()).isEqualTo(512);
        assertThat(config.segmentMs()).isEqualTo(LogConfig.defaults().segmentMs());
    }

    @ParameterizedTest
    @CsvSource({
        "retention.mss, 1, retention.mss",
        "segment.ms, soon, segment.ms",
        "segment.bytes, 0, segment.bytes",
        "segment.bytes, 4294967296, segment.bytes",
        "retention.bytes, -2, retention.bytes",
        "message.timestamp.type, WallTime, message.timestamp.type",
        "cleanup.policy, compact, cleanup.policy",
        "min.insync.replicas, 2, min.insync.replicas",
        "flush.messages, 0, flush.messages"
    })
    void unknownNamesAndBadValuesAre422sNamingThem(String name, String value, String named) {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of(name, value)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining(named)
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.INVALID_VALUE);
    }

    @Test
    void describeShowsEveryAcceptedName() {
        Map<String, String> shown = TopicConfigs.describe(LogConfig.defaults());

        assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(TopicConfigs.NAMES);
        assertThat(shown.get("message.timestamp.type")).isEqualTo("CreateTime");
        assertThat(TopicConfigs.validate(shown)).isEqualTo(new java.util.TreeMap<>(shown));
    }
}
