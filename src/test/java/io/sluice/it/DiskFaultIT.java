package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.SluiceApplication;
import io.sluice.storage.FaultyFiles;
import io.sluice.storage.FaultyFiles.Fault;
import io.sluice.storage.StorageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Disk faults under a running server, seen over real HTTP: the server's segment files go through a
 * {@link FaultyFiles} seam (its {@code StorageFiles} bean) that fails writes as a full disk, fsyncs, on demand; and
 * files are removed or damaged behind its back. Each fault hits one partition; the others keep serving.
 *
 * <ul>
 *   <li>Full disk: 507 / 50701, nothing of the refused request is stored, the partition takes records again once
 *       there is space.
 *   <li>Failing fsync: 503 / 50302, not acknowledged, the partition stays offline until restart (health DOWN naming
 *       it), even after the fault clears: after a failed fsync the page cache no longer says what is on disk. The
 *       restart recovers it with every acknowledged record.
 *   <li>Segment file removed: health DOWN naming the partition within {@code sluice.storage.file-check-interval},
 *       503 for it. Index files removed: rebuilt, reads unaffected.
 *   <li>Damaged bytes: a read that reaches them is a 503 naming the batch; reads before it still work.
 * </ul>
 */
@SpringBootTest(
        classes = {SluiceApplication.class, DiskFaultIT.FaultySeam.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sluice.storage.file-check-interval=200ms")
class DiskFaultIT {

    static final FaultyFiles FAULTS = new FaultyFiles();

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    private ApiClient api;

    @TestConfiguration(proxyBeanMethods = false)
    static class FaultySeam {
        @Bean
        StorageFiles faultyStorageFiles() {
            return FAULTS;
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void clearFaults() {
        FAULTS.inject(dataDir, Fault.NONE);
    }

    @Test
    void aFullDiskIs507WithJsonAndThePartitionTakesRecordsAgainWhenSpaceReturns() {
        createTopic("full", "{}");
        createTopic("roomy", "{}");
        produce("full", 0, "v1").expect(200);
        FAULTS.inject(partitionDir("full", 0), Fault.DISK_FULL);

        String message = produce("full", 0, "refused").expectError(507, 50701);
        produce("roomy", 0, "r1").expect(200);

        assertThat(message).contains("disk full").contains("full-0");
        FAULTS.inject(dataDir, Fault.NONE);
        assertThat(produce("full", 0, "v2").expect(200).at("/offsets/0/offset").asLong())
                .isEqualTo(1);
        assertThat(values("full", 0, 0)).containsExactly("v1", "v2");
    }

    @Test
    void aFailingFsyncIsNotAcknowledgedAndTakesOnlyThatPartitionOfflineLoudly() {
        createTopic("unsynced", "{\"flush.messages\":\"1\"}");
        createTopic("synced", "{\"flush.messages\":\"1\"}");
        produce("unsynced", 0, "a").expect(200);
        FAULTS.inject(partitionDir("unsynced", 0), Fault.FSYNC_FAILS);

        produce("unsynced", 0, "b").expectError(503, 50302);

        FAULTS.inject(dataDir, Fault.NONE);
        assertThat(produce("unsynced", 0, "c").expectError(503, 50302)).contains("offline");
        assertThat(offlineInHealth()).contains("unsynced-0");
        produce("synced", 0, "s1").expect(200);
        assertThat(values("synced", 0, 0)).containsExactly("s1");
    }

    @Test
    void aPartitionTakenOfflineByAFailingFsyncIsBackAfterARestartWithEveryAcknowledgedRecord(@TempDir Path dir) {
        List<String> acknowledged;
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(
                        SluiceApplication.class, FaultySeam.class)
                .run("--server.port=0", "--sluice.data-dir=" + dir, "--spring.main.banner-mode=off")) {
            ApiClient first = InProcessServer.client(server);
            first.postJson("/topics", "{\"name\":\"restarted\",\"configs\":{\"flush.messages\":\"1\"}}")
                    .expect(201);
            for (String v : List.of("a", "b", "c")) {
                first.postJson("/topics/restarted", "{\"records\":[{\"value\":\"" + v + "\"}]}")
                        .expect(200);
            }
            acknowledged = List.of("a", "b", "c");
            FAULTS.inject(dir.resolve("logs/restarted-0"), Fault.FSYNC_FAILS);
            first.postJson("/topics/restarted", "{\"records\":[{\"value\":\"lost\"}]}")
                    .expectError(503, 50302);
            FAULTS.inject(dataDir, Fault.NONE);
        }

        try (ConfigurableApplicationContext server = InProcessServer.start(dir)) {
            ApiClient second = InProcessServer.client(server);
            assertThat(second.get("/actuator/health").text()).contains("\"UP\"");
            List<String> values = second.get(
                            "/topics/restarted/partitions/0/records?offset=0", "Accept", "application/json")
                    .expect(200)
                    .findValuesAsString("value");
            // the refused record may or may not have reached the disk; everything acknowledged did
            assertThat(values).startsWith(acknowledged.toArray(String[]::new)).hasSizeBetween(3, 4);
            second.postJson("/topics/restarted", "{\"records\":[{\"value\":\"d\"}]}")
                    .expect(200);
        }
    }

    @Test
    void aSegmentFileRemovedUnderTheServerIsReportedAndTheOtherPartitionsServe() throws IOException {
        createTopic("removed", "{}", 2);
        produce("removed", 0, "gone").expect(200);
        produce("removed", 1, "kept").expect(200);

        Files.delete(segment("removed", 0));

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> offlineInHealth().contains("removed-0"));
        assertThat(offlineInHealth()).contains("was removed");
        produce("removed", 0, "more").expectError(503, 50302);
        produce("removed", 1, "more").expect(200);
        assertThat(values("removed", 1, 0)).containsExactly("kept", "more");
    }

    @Test
    void indexFilesRemovedUnderTheServerAreRebuilt() throws IOException {
        createTopic("reindexed", "{\"segment.bytes\":\"1024\"}");
        for (int i = 0; i < 30; i++) {
            produce("reindexed", 0, "value-" + i + "-" + "x".repeat(60)).expect(200);
        }
        Path index = partitionDir("reindexed", 0).resolve("00000000000000000000.index");
        assertThat(index).exists();

        Files.delete(index);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(index));
        assertThat(offlineInHealth()).doesNotContain("reindexed");
        for (int i = 0; i < 30; i++) {
            assertThat(values("reindexed", 0, i)).first().asString().startsWith("value-" + i + "-");
        }
    }

    @Test
    void damagedBytesAreA503NamingTheBatchAndTheBytesBeforeThemAreServed() throws IOException {
        createTopic("damaged", "{}");
        produce("damaged", 0, "first").expect(200);
        produce("damaged", 0, "second").expect(200);
        Path segment = segment("damaged", 0);
        long size = Files.size(segment);

        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'#', '#'}), size - 4);
        }

        String message = api.get("/topics/damaged/partitions/0/records?offset=1", "Accept", "application/json")
                .expectError(503, 50302);
        assertThat(message).contains("offset 1").contains("damaged");
        assertThat(api.get("/topics/damaged/partitions/0/records?offset=0&max_bytes=1", "Accept", "application/json")
                        .expect(200)
                        .findValuesAsString("value"))
                .containsExactly("first");
    }

    private void createTopic(String name, String configs) {
        createTopic(name, configs, 1);
    }

    private void createTopic(String name, String configs, int partitions) {
        api.postJson(
                        "/topics",
                        "{\"name\":\"" + name + "\",\"partitions\":" + partitions + ",\"configs\":" + configs + "}")
                .expect(201);
    }

    private ApiClient.Response produce(String topic, int partition, String value) {
        return api.postJson(
                "/topics/" + topic + "/partitions/" + partition, "{\"records\":[{\"value\":\"" + value + "\"}]}");
    }

    private List<String> values(String topic, int partition, long offset) {
        JsonNode records = api.get(
                        "/topics/" + topic + "/partitions/" + partition + "/records?offset=" + offset,
                        "Accept",
                        "application/json")
                .expect(200);
        return records.findValuesAsString("value");
    }

    private String offlineInHealth() {
        return api.get("/actuator/health").text();
    }

    private static Path partitionDir(String topic, int partition) {
        return dataDir.resolve("logs").resolve(topic + "-" + partition);
    }

    private static Path segment(String topic, int partition) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir(topic, partition))) {
            return files.filter(f -> f.toString().endsWith(".log"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
    }
}
