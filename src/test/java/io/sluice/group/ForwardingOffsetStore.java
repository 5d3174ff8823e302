package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link OffsetStore} that passes every call through; tests override what they need to intercept. */
class ForwardingOffsetStore implements OffsetStore {
    final OffsetStore delegate;

    ForwardingOffsetStore(OffsetStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void saveGroup(GroupDefinition definition) {
        delegate.saveGroup(definition);
    }

    @Override
    public Optional<GroupDefinition> group(String group) {
        return delegate.group(group);
    }

    @Override
    public List<GroupDefinition> groups() {
        return delegate.groups();
    }

    @Override
    public void deleteGroup(String group) {
        delegate.deleteGroup(group);
    }

    @Override
    public void commit(String group, Map<TopicPartition, CommittedOffset> offsets) {
        delegate.commit(group, offsets);
    }

    @Override
    public Map<TopicPartition, CommittedOffset> committed(String group) {
        return delegate.committed(group);
    }
}
