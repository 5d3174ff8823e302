package io.sluice.stream;

import java.util.List;
import java.util.Map;

/** What a {@link TopicCursor} yields on each step. */
public sealed interface CursorEvent {

    /** Records of one partition in offset order; {@code token} is the cursor's position after the last of them. */
    record Records(List<StreamRecord> records, PositionToken token) implements CursorEvent {
        public Records {
            records = List.copyOf(records);
        }
    }

    /** Everything up to the high watermark of every partition has been delivered (once per catch-up). */
    record CaughtUp(PositionToken token, Map<Integer, Long> highWatermarks) implements CursorEvent {
        public CaughtUp {
            highWatermarks = Map.copyOf(highWatermarks);
        }
    }

    /** Nothing happened for the idle interval: a chance to send a keep-alive. */
    record Idle() implements CursorEvent {}
}
