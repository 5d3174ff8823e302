package io.sluice.group;

import io.sluice.common.TopicPartition;

/**
 * A position the coordinator moved because it was outside the log, reported to the client so it knows records were
 * skipped (retention) or re-read. After a reset the position is inside {@code [logStartOffset, logEndOffset]}, so the
 * next read cannot be out of range for the same reason again.
 *
 * @param partition the partition
 * @param from the old position (or committed offset, for a position being initialised)
 * @param to the new position
 * @param policy the instance's {@code auto.offset.reset} that chose {@code to}
 * @param reason why the old position was invalid
 */
public record PositionReset(
        TopicPartition partition,
        long from,
        long to,
        AutoOffsetReset policy,
        Reason reason,
        long logStartOffset,
        long logEndOffset) {

    public enum Reason {
        /** Retention deleted the records at the position. */
        BEFORE_LOG_START,
        /** The position is past the end of the log (the log was truncated or recreated). */
        AFTER_LOG_END
    }
}
