package io.sluice.group.topics;

import io.sluice.common.SluiceException;
import io.sluice.group.TopicCatalog;
import io.sluice.topic.TopicService;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The group coordinator's view of which topics exist, read from the topic service's in-memory copy of the registry
 * (no database access). Thread-safe.
 */
public final class TopicServiceCatalog implements TopicCatalog {

    private final TopicService topics;

    public TopicServiceCatalog(TopicService topics) {
        this.topics = topics;
    }

    @Override
    public long version() {
        return topics.changeCount();
    }

    @Override
    public Set<String> topicNames() {
        return new TreeSet<>(topics.list());
    }

    @Override
    public OptionalInt partitionCount(String topic) {
        try {
            return OptionalInt.of(topics.partitionCount(topic));
        } catch (SluiceException notFound) {
            return OptionalInt.empty();
        }
    }
}
