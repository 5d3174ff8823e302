package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A partition's progress in a {@link GroupView}.
 *
 * @param committed the group's committed offset, empty if none
 * @param logEndOffset the high watermark now
 * @param lag records not yet committed: {@code logEndOffset - committed}, or {@code logEndOffset - logStartOffset}
 *     without a commit; never negative
 * @param owner the instance owning the partition now, if any
 */
public record PartitionLag(
        TopicPartition partition, OptionalLong committed, long logEndOffset, long lag, Optional<String> owner) {}
