package io.sluice.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupDefinition;
import io.sluice.group.offsets.jdbc.JdbcOffsetStore;
import io.sluice.metadata.TopicMetadata;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power loss in the middle of H2 commits: topic creations, config changes, deletions, group definitions and
 * offset commits run against the topic registry and the offset store sharing one H2 database (as in the server),
 * on a {@link PowerCutFilePath} disk that loses everything not forced when the power goes at a chosen disk
 * operation. The database is then opened from what survived, and must hold exactly the acknowledged state, or
 * that state plus the whole operation that was in flight (never part of it). Cut points are spread over the
 * whole workload (about two disk operations per change); half the cuts also keep a torn, in-order prefix of the unforced writes.
 * {@code -Dsluice.h2powerloss.cuts=N} for soak runs.
 */
class H2PowerLossTest {

    private static final int CUTS = Integer.getInteger("sluice.h2powerloss.cuts", 16);
    private static final int OPERATIONS = 30;
    private static final List<String> GROUPS = List.of("g0", "g1", "g2");
    private static final State EMPTY = new State(Map.of(), Map.of("g0", Map.of(), "g1", Map.of(), "g2", Map.of()));

    @TempDir
    Path dir;

    static Stream<Arguments> cuts() {
        return Stream.iterate(1, i -> i + 1).limit(CUTS).map(i -> Arguments.of(1000L + i, i % 2 == 0));
    }

    /** Registry, offset store and model state as one thing, so operations update both the same way. */
    private record State(Map<String, TopicMetadata> topics, Map<String, Map<TopicPartition, Long>> offsets) {
        State {
            topics = Map.copyOf(topics);
            offsets = Map.copyOf(offsets);
        }
    }

    private record Operation(String what, UnaryOperator<State> model, Runnable run) {}

    @ParameterizedTest(name = "seed {0}, torn {1}")
    @MethodSource("cuts")
    void acknowledgedMetadataSurvivesAPowerCutAndTheCommitInFlightIsAllOrNothing(long seed, boolean torn)
            throws Exception {
        // each change is about one write and one fsync; a cut past the end powers off after the last change
        long cutAt = 1 + new Random(seed).nextInt(2 * OPERATIONS + 4);
        PowerCutFilePath.Disk disk = PowerCutFilePath.newDisk();
        JdbcDataSource live = dataSource(PowerCutFilePath.url(dir.resolve("live/sluice")));
        Stores stores = new Stores(live).withGroups();
        sync(live);
        disk.arm(cutAt);

        State acknowledged = EMPTY;
        State inFlight = null;
        for (Operation op : workload(seed, stores)) {
            State after = op.model().apply(acknowledged);
            try {
                op.run().run();
            } catch (RuntimeException e) {
                assertThat(disk.isOff())
                        .as("%s failed without a power cut: %s", op.what(), e)
                        .isTrue();
                inFlight = after;
                break;
            }
            acknowledged = after;
        }
        disk.image(dir.resolve("image"), torn, new Random(seed));
        shutdown(live);

        State recovered = new Stores(dataSource("jdbc:h2:file:" + dir.resolve("image/sluice"))).read();
        if (inFlight == null || !recovered.equals(inFlight)) {
            assertThat(recovered)
                    .as("seed %d, cut at disk operation %d, torn %s", seed, cutAt, torn)
                    .isEqualTo(acknowledged);
        }
    }

    private static final class Stores {
        final JdbcTopicRegistry registry;
        final JdbcOffsetStore offsets;

        Stores(JdbcDataSource dataSource) {
            this.registry = new JdbcTopicRegistry(dataSource).initialize();
            this.offsets = new JdbcOffsetStore(dataSource, true);
        }

        /** The groups exist before the cut is armed; the workload commits their offsets. */
        Stores withGroups() {
            for (String group : GROUPS) {
                offsets.saveGroup(new GroupDefinition(group, "range", 1L));
            }
            return this;
        }

        State read() {
            Map<String, TopicMetadata> topics = new HashMap<>();
            registry.list().forEach(t -> topics.put(t.name(), t));
            Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
            for (GroupDefinition g : offsets.groups()) {
                Map<TopicPartition, Long> byPartition = new HashMap<>();
                offsets.committed(g.group()).forEach((tp, c) -> byPartition.put(tp, c.offset()));
                committed.put(g.group(), Map.copyOf(byPartition));
            }
            return new State(topics, committed);
        }
    }

    /** A seeded sequence of metadata changes, each with its effect on the model. */
    private static List<Operation> workload(long seed, Stores stores) {
        Random random = new Random(seed);
        List<Operation> ops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < OPERATIONS; i++) {
            int kind = names.isEmpty() ? 0 : random.nextInt(10);
            if (kind <= 2) {
                TopicMetadata t = new TopicMetadata("t" + i, 1 + random.nextInt(4), configs(random), i);
                names.add(t.name());
                ops.add(new Operation(
                        "create " + t.name(),
                        s -> withTopic(s, t),
                        () -> assertThat(stores.registry.create(t)).isTrue()));
            } else if (kind <= 4) {
                String name = names.get(random.nextInt(names.size()));
                int partitions = 4 + random.nextInt(4);
                Map<String, String> configs = configs(random);
                ops.add(new Operation("update " + name, s -> withUpdate(s, name, partitions, configs), () -> {
                    TopicMetadata old = stores.registry.find(name).orElseThrow();
                    stores.registry.update(new TopicMetadata(name, partitions, configs, old.createdAt()));
                }));
            } else if (kind == 5) {
                String name = names.remove(random.nextInt(names.size()));
                ops.add(new Operation(
                        "delete " + name,
                        s -> withoutTopic(s, name),
                        () -> assertThat(stores.registry.delete(name)).isTrue()));
            } else {
                String group = GROUPS.get(random.nextInt(GROUPS.size()));
                Map<TopicPartition, CommittedOffset> commit = new HashMap<>();
                for (int p = random.nextInt(3); p < 3; p++) {
                    commit.put(new TopicPartition("t0", p), new CommittedOffset(random.nextInt(1_000_000), "", i));
                }
                ops.add(new Operation(
                        "commit " + group,
                        s -> withCommit(s, group, commit),
                        () -> stores.offsets.commit(group, commit)));
            }
        }
        return ops;
    }

    private static Map<String, String> configs(Random random) {
        Map<String, String> configs = new HashMap<>();
        String[] keys = {"retention.ms", "segment.bytes", "flush.messages", "cleanup.policy"};
        for (int i = random.nextInt(keys.length + 1); i > 0; i--) {
            configs.put(keys[random.nextInt(keys.length)], Integer.toString(random.nextInt(100_000)));
        }
        return configs;
    }

    private static State withTopic(State s, TopicMetadata t) {
        Map<String, TopicMetadata> topics = new HashMap<>(s.topics());
        topics.put(t.name(), t);
        return new State(topics, s.offsets());
    }

    private static State withUpdate(State s, String name, int partitions, Map<String, String> configs) {
        TopicMetadata old = s.topics().get(name);
        return withTopic(s, new TopicMetadata(name, partitions, configs, old.createdAt()));
    }

    private static State withoutTopic(State s, String name) {
        Map<String, TopicMetadata> topics = new HashMap<>(s.topics());
        topics.remove(name);
        return new State(topics, s.offsets());
    }

    private static State withCommit(State s, String group, Map<TopicPartition, CommittedOffset> commit) {
        Map<String, Map<TopicPartition, Long>> offsets = new HashMap<>(s.offsets());
        Map<TopicPartition, Long> byPartition = new HashMap<>();
        byPartition.putAll(offsets.getOrDefault(group, Map.of()));
        commit.forEach((tp, c) -> byPartition.put(tp, c.offset()));
        offsets.put(group, Map.copyOf(byPartition));
        return new State(s.topics(), offsets);
    }

    private static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        // kept open between operations, as the server's connection pool keeps it; WRITE_DELAY=0 as in the server
        dataSource.setURL(url + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
        dataSource.setUser("sa");
        return dataSource;
    }

    /** The baseline before the cut is armed: schema and an empty database on the disk. */
    private static void sync(JdbcDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    /** Releases the database whose disk lost power; its writes fail, so nothing reaches the image. */
    private static void shutdown(JdbcDataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException | RuntimeException e) {
            // the store already closed itself after the failed write
        }
    }
}
