package io.sluice.bench;

import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A bounded prefetch of successive reads, as Kafka's consumer overlaps its next fetch with the processing of the
 * last one: a read hands the state of the next read (e.g. the next offset, from the response headers) to its
 * {@link Control} as soon as it knows it, before its body has arrived and been decoded, and the next request goes
 * out at once. At most {@code depth} reads are in flight or being decoded at a time; pages come out in request
 * order. A read ends the sequence with {@link Control#end()} (the end of the data); reads already sent still
 * complete and are counted.
 *
 * <p>Thread-safe: reads call their control from any event loop.
 *
 * @param <S> what a read needs to know to be sent (an offset; nothing for a group read)
 * @param <P> a decoded page
 */
final class Prefetch<S, P> {

    /** What a read tells the sequence: where the next read starts, or that there is none. */
    interface Control<S> {
        void next(S state);

        void end();
    }

    private final Sinks.Many<S> requests = Sinks.many().unicast().onBackpressureBuffer();
    private final Control<S> control = new Control<>() {
        @Override
        public void next(S state) {
            synchronized (requests) {
                requests.tryEmitNext(state); // refused once ended: a late read must not start another one
            }
        }

        @Override
        public void end() {
            synchronized (requests) {
                requests.tryEmitComplete();
            }
        }
    };

    private Prefetch() {}

    /**
     * The pages of the reads starting at {@code first}; {@code read} sends one read for a state and tells the
     * control about the next one (exactly one {@code next} or {@code end} call per read, a failed read fails the
     * sequence).
     */
    static <S, P> Flux<P> pages(S first, int depth, BiFunction<S, Control<S>, Mono<P>> read) {
        Prefetch<S, P> prefetch = new Prefetch<>();
        prefetch.control.next(first);
        return prefetch.requests.asFlux().flatMapSequential(state -> read.apply(state, prefetch.control), depth, 1);
    }
}
