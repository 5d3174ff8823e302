package io.sluice.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which segments retention deletes: whole segments from the start of the log only, never the active
 * one. First by time (a segment whose largest timestamp is older than {@code retention.ms}), then by size (the
 * oldest segments while the log stays above {@code retention.bytes} without them). Negative settings disable
 * each rule. Stateless.
 */
final class RetentionPolicy {

    private RetentionPolicy() {}

    /** The prefix of segments (oldest first, active excluded) to delete. */
    static List<LogSegment> deletable(List<LogSegment> segments, LogConfig config, long nowMs) {
        List<LogSegment> candidates = segments.subList(0, Math.max(0, segments.size() - 1));
        List<LogSegment> doomed = new ArrayList<>();
        long totalBytes = 0;
        for (LogSegment s : segments) {
            totalBytes += s.size();
        }
        long excess = config.retentionBytes() < 0 ? 0 : totalBytes - config.retentionBytes();
        for (LogSegment segment : candidates) {
            boolean expired = config.retentionMs() >= 0 && nowMs - segment.largestTimestamp() > config.retentionMs();
            boolean oversize = config.retentionBytes() >= 0 && excess - segment.size() >= 0;
            if (!expired && !oversize) {
                break;
            }
            doomed.add(segment);
            excess -= segment.size();
        }
        return doomed;
    }
}
