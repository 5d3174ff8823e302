package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopicCursorTest {

    private static final long LONG_IDLE_MS = 60_000;

    private final InMemoryLogAccess logs = new InMemoryLogAccess();

    @BeforeEach
    void createTopic() {
        logs.createTopic("t", 2);
    }

    private TopicCursor cursor(Map<Integer, Long> start, int maxRecords, Credits credits) {
        return new TopicCursor(logs, "t", start, maxRecords, 1 << 20, LONG_IDLE_MS, credits);
    }

    @Test
    void deliversEachPartitionInOrderAndThenReportsCaughtUpOnce() {
        for (int i = 0; i < 5; i++) {
            logs.append("t", 0, "a" + i);
            logs.append("t", 1, "b" + i);
        }
        TopicCursor cursor = cursor(Map.of(0, 0L, 1, 0L), 2, null);
        List<StreamRecord> seen = new ArrayList<>();
        CursorEvent event;
        while ((event = cursor.next().join()) instanceof CursorEvent.Records records) {
            seen.addAll(records.records());
        }
        assertThat(event).isInstanceOf(CursorEvent.CaughtUp.class);
        assertThat(((CursorEvent.CaughtUp) event).token().toString()).isEqualTo("0:5,1:5");
        assertThat(seen).hasSize(10);
        assertThat(seen.stream().filter(r -> r.partition() == 0).map(StreamRecord::offset))
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(seen.stream().filter(r -> r.partition() == 1).map(StreamRecord::offset))
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(cursor.next()).isNotDone();
    }

    @Test
    void servesPartitionsRoundRobinSoABusyOneCannotStarveTheOther() {
        for (int i = 0; i < 10; i++) {
            logs.append("t", 0, "busy" + i);
        }
        logs.append("t", 1, "quiet");
        TopicCursor cursor = cursor(Map.of(0, 0L, 1, 0L), 1, null);
        CursorEvent.Records first = (CursorEvent.Records) cursor.next().join();
        CursorEvent.Records second = (CursorEvent.Records) cursor.next().join();
        assertThat(List.of(
                        first.records().get(0).partition(),
                        second.records().get(0).partition()))
                .containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void waitsWithoutReadingUntilAnAppendWakesIt() {
        TopicCursor cursor = cursor(Map.of(0, 0L, 1, 0L), 10, null);
        assertThat(cursor.next().join()).isInstanceOf(CursorEvent.CaughtUp.class);
        CompletableFuture<CursorEvent> waiting = cursor.next();
        int readsBefore = logs.reads.get();
        assertThat(waiting).isNotDone();
        assertThat(logs.reads.get()).isEqualTo(readsBefore);

        logs.append("t", 1, "x");

        CursorEvent.Records records = (CursorEvent.Records) waiting.join();
        assertThat(records.records()).extracting(StreamRecord::partition).containsExactly(1);
        assertThat(records.token().toString()).isEqualTo("0:0,1:1");
        assertThat(logs.parkedWaiters()).isZero();
    }

    @Test
    void creditModeSendsNoMoreThanGrantedAndResumesOnGrant() {
        for (int i = 0; i < 5; i++) {
            logs.append("t", 0, "v" + i);
        }
        Credits credits = new Credits(3);
        TopicCursor cursor = cursor(Map.of(0, 0L), 100, credits);
        CursorEvent.Records first = (CursorEvent.Records) cursor.next().join();
        assertThat(first.records()).hasSize(3);
        CompletableFuture<CursorEvent> blocked = cursor.next();
        assertThat(blocked).isNotDone();

        credits.grant(10);

        assertThat(((CursorEvent.Records) blocked.join()).records())
                .extracting(StreamRecord::offset)
                .containsExactly(3L, 4L);
    }

    @Test
    void closingReleasesTheWaitAndFailsTheOutstandingStep() {
        TopicCursor cursor = cursor(Map.of(0, 0L, 1, 0L), 10, null);
        cursor.next().join();
        CompletableFuture<CursorEvent> waiting = cursor.next();

        cursor.close();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(logs.parkedWaiters()).isZero();
        assertThat(cursor.next()).failsWithin(java.time.Duration.ZERO).withThrowableOfType(Exception.class);
        assertThat(waiting.handle((v, e) -> e))
                .succeedsWithin(java.time.Duration.ZERO)
                .isInstanceOfAny(CancellationException.class, java.util.concurrent.CompletionException.class);
    }

    @Test
    void startPositionsResolveEachSpecAndClampIntoTheLog() {
        for (int i = 0; i < 4; i++) {
            logs.append("t", 0, "v" + i);
        }
        List<Integer> both = List.of(0, 1);
        assertThat(StartPositions.resolve(logs, "t", both, new StartSpec.Earliest()))
                .containsEntry(0, 0L);
        assertThat(StartPositions.resolve(logs, "t", both, new StartSpec.Latest()))
                .containsEntry(0, 4L);
        assertThat(StartPositions.resolve(logs, "t", both, new StartSpec.AtTimestamp(1002)))
                .containsEntry(0, 2L)
                .containsEntry(1, 0L);
        assertThat(StartPositions.resolve(logs, "t", both, StartSpec.resume(PositionToken.parse("0:99"))))
                .containsEntry(0, 4L)
                .containsEntry(1, 0L);
    }

    @Test
    void openingChecksTheTopicAndEveryPartition() {
        TopicCursors.Limits limits = new TopicCursors.Limits(10, 1 << 20, LONG_IDLE_MS, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TopicCursors.open(logs, "missing", null, new StartSpec.Earliest(), limits))
                .hasMessageContaining("missing");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TopicCursors.open(logs, "t", List.of(0, 5), new StartSpec.Earliest(), limits))
                .hasMessageContaining("no partition 5");
        assertThat(TopicCursors.open(logs, "t", null, new StartSpec.Earliest(), limits)
                        .position()
                        .toString())
                .isEqualTo("0:0,1:0");
    }
}
