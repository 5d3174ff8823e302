package io.sluice.group;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/** The groups of one node, in a concurrent map. Thread-safe. */
public final class InMemoryGroupRegistry implements GroupRegistry {

    private final ConcurrentMap<String, ConsumerGroup> groups = new ConcurrentHashMap<>();

    @Override
    public ConsumerGroup getOrCreate(String group, Function<String, ConsumerGroup> create) {
        return groups.computeIfAbsent(group, create);
    }

    @Override
    public Optional<ConsumerGroup> get(String group) {
        return Optional.ofNullable(groups.get(group));
    }

    @Override
    public List<ConsumerGroup> all() {
        return groups.values().stream()
                .sorted(Comparator.comparing(ConsumerGroup::name))
                .toList();
    }

    @Override
    public void remove(ConsumerGroup group) {
        groups.remove(group.name(), group);
    }
}
