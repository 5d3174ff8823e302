package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void baseOffsetsArePaddedToTwentyDigitsSoNamesSortNumerically() {
        assertThat(LogFiles.logFile(dir, 42).getFileName().toString()).isEqualTo("00000000000000000042.log");
        assertThat(LogFiles.offsetIndexFile(dir, 0).getFileName().toString()).isEqualTo("00000000000000000000.index");
        assertThat(LogFiles.timeIndexFile(dir, Long.MAX_VALUE).getFileName().toString())
                .isEqualTo("09223372036854775807.timeindex");
        assertThat(LogFiles.snapshotFile(dir, 7).getFileName().toString()).isEqualTo("00000000000000000007.snapshot");
    }

    @Test
    void offsetIsParsedBackFromAFileNameWithTheRightSuffixOnly() {
        assertThat(LogFiles.offsetFromFile(dir.resolve("00000000000000000042.log"), ".log"))
                .hasValue(42);
        assertThat(LogFiles.offsetFromFile(dir.resolve("00000000000000000042.index"), ".log"))
                .isEmpty();
        assertThat(LogFiles.offsetFromFile(dir.resolve("0000000000000000042.log"), ".log"))
                .isEmpty();
        assertThat(LogFiles.offsetFromFile(dir.resolve("0000000000000000004x.log"), ".log"))
                .isEmpty();
    }

    @Test
    void partitionDirectoryNamesParseEvenWithDashesInTheTopic() {
        assertThat(LogFiles.parsePartitionDir("my-topic-12")).hasValue(new TopicPartition("my-topic", 12));
        assertThat(LogFiles.parsePartitionDir("orders-0")).hasValue(new TopicPartition("orders", 0));
        assertThat(LogFiles.parsePartitionDir("orders")).isEmpty();
        assertThat(LogFiles.parsePartitionDir("orders-")).isEmpty();
        assertThat(LogFiles.parsePartitionDir("-3")).isEmpty();
        assertThat(LogFiles.parsePartitionDir("orders-x")).isEmpty();
    }

    @Test
    void offsetsOfListsMatchingFilesInOrderAndTempFilesAreCleanedUp() throws IOException {
        Files.createFile(LogFiles.logFile(dir, 100));
        Files.createFile(LogFiles.logFile(dir, 5));
        Files.createFile(LogFiles.offsetIndexFile(dir, 7));
        Files.createFile(LogFiles.tempFile(LogFiles.snapshotFile(dir, 3)));
        assertThat(LogFiles.offsetsOf(dir, LogFiles.LOG_SUFFIX)).containsExactly(5, 100);
        LogFiles.deleteTempFiles(dir);
        assertThat(Files.exists(LogFiles.tempFile(LogFiles.snapshotFile(dir, 3))))
                .isFalse();
        assertThat(Files.exists(LogFiles.logFile(dir, 5))).isTrue();
    }
}
