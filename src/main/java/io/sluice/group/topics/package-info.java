/**
 * Adapters of the group coordinator's topic ports over the topic service: {@link
 * io.sluice.group.topics.TopicServiceCatalog} (which topics exist, partition counts) and {@link
 * io.sluice.group.topics.TopicServiceOffsets} (log start, high watermark, offset by time). The coordinator core in
 * {@code io.sluice.group} knows only the ports.
 */
package io.sluice.group.topics;
