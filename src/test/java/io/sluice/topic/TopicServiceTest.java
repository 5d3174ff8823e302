package io.sluice.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import io.sluice.metadata.TopicMetadata;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.storage.LogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicServiceTest {

    @TempDir
    Path dir;

    @Test
    void createdTopicHasItsLogsAndEffectiveConfigs() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            TopicDescription topic = f.topics.create("t", 3, 1, Map.of("retention.ms", "5000"));

            assertThat(topic.partitions())
                    .extracting(PartitionDescription::partition)
                    .containsExactly(0, 1, 2);
            assertThat(topic.configs()).containsEntry("retention.ms", "5000");
            assertThat(f.topics.log("t", 2).config().retentionMs()).isEqualTo(5000);
            assertThat(f.registry.find("t")).isPresent();
            assertThat(Files.isDirectory(dir.resolve("logs/t-2"))).isTrue();
        }
    }

    @Test
    void theChangeCountMovesOnEveryChangeBeforeListenersAreTold() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            List<Long> seenByListener = new ArrayList<>();
            f.topics.addListener(topic -> seenByListener.add(f.topics.changeCount()));
            long before = f.topics.changeCount();

            f.topics.create("t", 1, 1, Map.of());
            f.topics.alter("t", new TopicChange(OptionalInt.of(2), Map.of()));
            f.topics.describe("t");
            assertThatThrownBy(() -> f.topics.create("t", 1, 1, Map.of())).isInstanceOf(SluiceException.class);
            f.topics.delete("t");

            assertThat(seenByListener).containsExactly(before + 1, before + 2, before + 3);
            assertThat(f.topics.changeCount()).isEqualTo(before + 3);
        }
    }

    @Test
    void restartReopensEveryRegisteredTopicWithItsConfig() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("kept", 2, 1, Map.of("max.message.bytes", "4000"));
            append(f, "kept", 1);
        }
        try (ServicesFixture f = new ServicesFixture(dir)) {
            assertThat(f.topics.list()).containsExactly("kept");
            assertThat(f.topics.describePartition("kept", 1).endOffset()).isEqualTo(1);
            assertThat(f.topics.log("kept", 0).config().maxMessageBytes()).isEqualTo(4000);
        }
    }

    @Test
    void alterAddsPartitionsAndResetsConfigsToTheDefault() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of("retention.ms", "5000"));

            TopicDescription altered =
                    f.topics.alter("t", new TopicChange(OptionalInt.of(4), Map.of("retention.ms", Optional.empty())));

            assertThat(altered.partitions()).hasSize(4);
            assertThat(f.topics.log("t", 0).config().retentionMs())
                    .isEqualTo(LogConfig.defaults().retentionMs());
            assertThat(f.topics.log("t", 3)).isNotNull();
            assertThat(f.topics.findPartitionCount("t")).hasValue(4);
            assertThat(f.topics.findPartitionCount("nope")).isEmpty();
            assertThat(f.registry.find("t").orElseThrow().configs()).isEmpty();
        }
    }

    @Test
    void recreatingADeletedNameStartsEmptyEvenIfOldLogsWereLeftBehind() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, 1, Map.of());
            append(f, "t", 0);
            // a crash between deleting the registry entry and the files leaves logs the registry does not know
            f.registry.delete("t");
        }
        try (ServicesFixture f = new ServicesFixture(dir)) {
            assertThat(f.logs.get(new TopicPartition("t", 0))).isPresent();

            f.topics.create("t", 1, 1, Map.of());

            assertThat(f.topics.describePartition("t", 0).endOffset()).isZero();
        }
    }

    @Test
    void aDamagedPartitionStaysOfflineWithoutStoppingTheOthers() throws Exception {
        ServicesFixture crashed = new ServicesFixture(dir); // never closed: an unclean stop
        crashed.topics.create("t", 2, 1, Map.of());
        for (int i = 0; i < 5; i++) {
            append(crashed, "t", 0);
        }
        append(crashed, "t", 1);
        crashed.topics.log("t", 0).flush();
        crashed.logs.flushDue();
        Path segment = dir.resolve("logs/t-0/00000000000000000000.log");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(segment, bytes);

        try (ServicesFixture f = new ServicesFixture(dir)) {
            assertThatThrownBy(() -> f.topics.log("t", 0))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(f.topics.describePartition("t", 1).endOffset()).isEqualTo(1);
        }
    }

    @Test
    void aDeletedNameWhoseOldLogIsDamagedCanStillBeCreatedAfresh() throws Exception {
        ServicesFixture crashed = new ServicesFixture(dir); // never closed: an unclean stop
        crashed.topics.create("t", 1, 1, Map.of());
        for (int i = 0; i < 5; i++) {
            append(crashed, "t", 0);
        }
        crashed.topics.log("t", 0).flush();
        crashed.logs.flushDue();
        crashed.registry.delete("t");
        Path segment = dir.resolve("logs/t-0/00000000000000000000.log");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(segment, bytes);

        try (ServicesFixture f = new ServicesFixture(dir)) {
            assertThat(f.logs.offlinePartitions()).containsKey(new TopicPartition("t", 0));

            f.topics.create("t", 1, 1, Map.of());

            assertThat(f.topics.describePartition("t", 0).endOffset()).isZero();
            assertThat(f.logs.offlinePartitions()).isEmpty();
        }
    }

    @Test
    void deleteRemovesFilesRegistryEntryAndGauges() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 2, 1, Map.of());
            assertThat(f.meters.find("sluice.log.size.bytes").gauges()).hasSize(2);

            f.topics.delete("t");

            assertThat(Files.exists(dir.resolve("logs/t-0"))).isFalse();
            assertThat(f.registry.find("t")).isEmpty();
            assertThat(f.meters.find("sluice.log.size.bytes").gauges()).isEmpty();
            assertThatThrownBy(() -> f.topics.describe("t"))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.TOPIC_NOT_FOUND);
        }
    }

    @Test
    void duplicateNamesAndBadReplicationFactorsAreRefused() {
        try (ServicesFixture f = new ServicesFixture(dir)) {
            f.topics.create("t", 1, -1, Map.of());

            assertThatThrownBy(() -> f.topics.create("t", 1, 1, Map.of()))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.ALREADY_EXISTS);
            assertThatThrownBy(() -> f.topics.create("u", 1, 2, Map.of()))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThatThrownBy(() -> f.topics.create("v", 101, 1, Map.of()))
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_VALUE);
            assertThat(f.registry.list()).extracting(TopicMetadata::name).containsExactly("t");
        }
    }

    private static void append(ServicesFixture f, String topic, int partition) {
        f.topics
                .log(topic, partition)
                .appendAsLeader(
                        new RecordBatchBuilder()
                                .append(1L, (byte[]) null, new byte[] {1}, java.util.List.of())
                                .build()
                                .buffer(),
                        0);
    }
}
