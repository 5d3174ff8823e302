package io.sluice.group.offsets;

import io.sluice.common.TopicPartition;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupDefinition;
import io.sluice.group.OffsetStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An {@link OffsetStore} in memory: nothing survives the process. For tests and single-process tools. Thread-safe:
 * every method holds this object's monitor, so a commit is atomic for readers.
 */
public final class InMemoryOffsetStore implements OffsetStore {

    private final SortedMap<String, GroupDefinition> groups = new TreeMap<>();
    private final Map<String, SortedMap<TopicPartition, CommittedOffset>> offsets = new TreeMap<>();

    @Override
    public synchronized void saveGroup(GroupDefinition definition) {
        groups.put(definition.group(), definition);
    }

    @Override
    public synchronized Optional<GroupDefinition> group(String group) {
        return Optional.ofNullable(groups.get(group));
    }

    @Override
    public synchronized List<GroupDefinition> groups() {
        return List.copyOf(groups.values());
    }

    @Override
    public synchronized void deleteGroup(String group) {
        groups.remove(group);
        offsets.remove(group);
    }

    @Override
    public synchronized void commit(String group, Map<TopicPartition, CommittedOffset> committed) {
        offsets.computeIfAbsent(group, g -> new TreeMap<>()).putAll(committed);
    }

    @Override
    public synchronized Map<TopicPartition, CommittedOffset> committed(String group) {
        return new TreeMap<>(offsets.getOrDefault(group, new TreeMap<>()));
    }
}
