package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ErrorCode;
import io.sluice.common.ManualClock;
import io.sluice.group.offsets.jdbc.JdbcOffsetStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator replaced by a new one over the same H2 file: offsets and groups stay, membership does not. */
class GroupCoordinatorRestartTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final InMemoryTopics topics = new InMemoryTopics().create("t", 4);

    private GroupCoordinator start() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("sluice").toAbsolutePath());
        ds.setUser("sa");
        return new GroupCoordinator(GroupCoordinatorConfig.defaults(), clock, topics, topics, new JdbcOffsetStore(ds));
    }

    @Test
    void committedOffsetsAndGroupDefinitionsSurviveARestartButInstancesMustRejoin() {
        for (int p = 0; p < 4; p++) {
            topics.append(CoordinatorFixture.tp(p), 100, 1);
        }
        GroupCoordinator before = start();
        InstanceConfig config = CoordinatorFixture.manualCommit().withAssignor("roundrobin");
        String id = before.createInstance("g", config).instanceId();
        before.subscribe("g", id, Subscription.topics(List.of("t")));
        before.commit("g", id, Map.of(CoordinatorFixture.tp(0), 40L, CoordinatorFixture.tp(3), 75L));

        GroupCoordinator after = start();

        CoordinatorFixture.assertError(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND, () -> after.assignment("g", id));
        GroupView view = after.describe("g");
        assertThat(view.state()).isEqualTo(GroupState.EMPTY);
        assertThat(view.assignor()).isEqualTo("roundrobin");
        assertThat(view.partitions())
                .extracting(l -> l.partition().partition(), PartitionLag::lag)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 60L), org.assertj.core.groups.Tuple.tuple(3, 25L));
        assertThat(after.listGroups()).extracting(GroupSummary::group).containsExactly("g");

        String rejoined =
                after.createInstance("g", CoordinatorFixture.manualCommit()).instanceId();
        after.subscribe("g", rejoined, Subscription.topics(List.of("t")));
        try (ReadPermit permit = after.tryAcquireRead("g", rejoined).orElseThrow()) {
            assertThat(after.planRead(permit).reads())
                    .extracting(PartitionRead::offset)
                    .containsExactly(40L, 0L, 0L, 75L);
        }
        assertThat(after.describe("g").assignor()).isEqualTo("roundrobin");
    }
}
