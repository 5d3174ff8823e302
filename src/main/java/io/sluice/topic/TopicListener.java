package io.sluice.topic;

/**
 * Told after a topic was created, altered (partitions added, configs changed) or deleted, so other services (consumer
 * groups) can react at once instead of at their next periodic check. Called on the administering thread while the
 * topic service's admin lock is held: implementations must be quick and must not call the topic service's
 * administrative methods.
 */
@FunctionalInterface
public interface TopicListener {

    void topicChanged(String topic);
}
