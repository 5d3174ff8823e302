package io.sluice.metadata;

import java.util.List;
import java.util.Optional;

/**
 * The durable registry of topics (the port; H2 today, a Raft-replicated store later). Every method is atomic on its
 * own and durable when it returns. Implementations are thread-safe.
 */
public interface TopicRegistry {

    /**
     * Adds a topic.
     *
     * @return false if a topic of that name already exists (nothing changed)
     */
    boolean create(TopicMetadata topic);

    Optional<TopicMetadata> find(String name);

    /** All topics, sorted by name. */
    List<TopicMetadata> list();

    /**
     * Replaces the partition count and configs of an existing topic (the name and creation time are kept).
     *
     * @return false if no such topic exists
     */
    boolean update(TopicMetadata topic);

    /** @return false if no such topic existed */
    boolean delete(String name);
}
