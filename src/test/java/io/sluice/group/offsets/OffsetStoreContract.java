package io.sluice.group.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupDefinition;
import io.sluice.group.OffsetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link OffsetStore} contract. Each implementation's test extends this class and supplies a store. */
public abstract class OffsetStoreContract {

    protected OffsetStore store;

    protected abstract OffsetStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    protected static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    @Test
    void anUnknownGroupHasNoDefinitionAndNoOffsets() {
        assertThat(store.group("g")).isEmpty();
        assertThat(store.committed("g")).isEmpty();
        assertThat(store.groups()).isEmpty();
    }

    @Test
    void savedDefinitionsAreListedSortedAndCanBeReplaced() {
        store.saveGroup(new GroupDefinition("b", "range", 1));
        store.saveGroup(new GroupDefinition("a", "sticky", 2));
        store.saveGroup(new GroupDefinition("b", "roundrobin", 1));

        assertThat(store.groups())
                .containsExactly(new GroupDefinition("a", "sticky", 2), new GroupDefinition("b", "roundrobin", 1));
        assertThat(store.group("b")).contains(new GroupDefinition("b", "roundrobin", 1));
    }

    @Test
    void committedOffsetsAreReadBackPerGroupAndSorted() {
        store.commit(
                "g",
                Map.of(tp("t", 1), new CommittedOffset(10, "m", 100), tp("s", 0), new CommittedOffset(3, "", 100)));
        store.commit("h", Map.of(tp("t", 1), new CommittedOffset(99, "", 100)));

        assertThat(new ArrayList<>(store.committed("g").keySet())).containsExactly(tp("s", 0), tp("t", 1));
        assertThat(store.committed("g").get(tp("t", 1))).isEqualTo(new CommittedOffset(10, "m", 100));
        assertThat(store.committed("h")).hasSize(1);
    }

    @Test
    void aLaterCommitReplacesTheEarlierOneEvenIfLower() {
        store.commit("g", Map.of(tp("t", 0), new CommittedOffset(10, "", 1)));

        store.commit("g", Map.of(tp("t", 0), new CommittedOffset(4, "", 2)));

        assertThat(store.committed("g").get(tp("t", 0))).isEqualTo(new CommittedOffset(4, "", 2));
    }

    @Test
    void deletingAGroupRemovesItsDefinitionAndOffsetsButNoOtherGroup() {
        store.saveGroup(new GroupDefinition("g", "sticky", 1));
        store.saveGroup(new GroupDefinition("h", "sticky", 1));
        store.commit("g", Map.of(tp("t", 0), new CommittedOffset(1, "", 1)));
        store.commit("h", Map.of(tp("t", 0), new CommittedOffset(2, "", 1)));

        store.deleteGroup("g");
        store.deleteGroup("never-existed");

        assertThat(store.group("g")).isEmpty();
        assertThat(store.committed("g")).isEmpty();
        assertThat(store.groups()).extracting(GroupDefinition::group).containsExactly("h");
        assertThat(store.committed("h")).hasSize(1);
    }

    @Test
    void anEmptyCommitChangesNothing() {
        store.commit("g", Map.of());

        assertThat(store.committed("g")).isEmpty();
    }

    @Test
    void concurrentCommitsOfDifferentGroupsAllLand() {
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            String group = "g" + g;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50; i++) {
                    Map<TopicPartition, CommittedOffset> batch = new TreeMap<>();
                    for (int p = 0; p < 3; p++) {
                        batch.put(tp("t", p), new CommittedOffset(i, "", i));
                    }
                    store.commit(group, batch);
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

        for (int g = 0; g < 4; g++) {
            assertThat(store.committed("g" + g).values())
                    .hasSize(3)
                    .allSatisfy(c -> assertThat(c.offset()).isEqualTo(49));
        }
    }
}
