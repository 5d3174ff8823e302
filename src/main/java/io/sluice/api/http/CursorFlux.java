package io.sluice.api.http;

import io.sluice.stream.CursorEvent;
import io.sluice.stream.TopicCursor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Adapts a {@link TopicCursor} to Reactor demand: the next step is started only after the previous event was taken
 * downstream, so a stream reads the log at its consumer's pace and holds at most one batch it has not yet handed on.
 * Cancelling (or completing) the flux closes the cursor, which releases its parked waits.
 */
public final class CursorFlux {

    private CursorFlux() {}

    public static Flux<CursorEvent> events(TopicCursor cursor) {
        // repeat() resubscribes only after the previous Mono completed, which happens only after its value was
        // requested and delivered: at most one step is in flight per cursor.
        return Mono.fromFuture(cursor::next, false).repeat().doFinally(signal -> cursor.close());
    }
}
