package io.sluice.api.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Runs one NDJSON produce stream: takes the line groups of the body as they arrive and turns them into answer buffers,
 * one storage task at a time, each task appending <em>every</em> group that has arrived by the time it starts.
 *
 * <p>Why not one task per group: the body's groups come one per socket read (up to 64 KiB), and a task per group paid
 * a hand-over to the storage pool, an append (a write system call), a flushed answer and a wake-up of the event loop
 * for each of them, five times per 256 KiB where a JSON batch pays once. Here the body is read ahead of the appends
 * (up to {@link #QUEUE_LIMIT} bytes of lines waiting; beyond that reading pauses until a task has taken them), and a
 * task starts only when none runs and the response has asked for an answer (its previous answer was taken for
 * writing), so what arrives meanwhile goes out together. Nothing waits for input that has not arrived: a task starts
 * as soon as there are lines and room for an answer.
 *
 * <p>Order and completeness: answers are emitted in the order of the lines (one task at a time, each appending its
 * groups in arrival order). The stream ends after the last group's answer; a failed body (a line too long, the body
 * timeout) ends it with {@code errorLine(failure)} after the answers of every line before the failure; a task that
 * fails or cannot be started (storage pool full) ends it at once with its error line. A cancelled response cancels the
 * body.
 *
 * <p>Body timeout: the longest pause between two groups while the stream is waiting for the client (not while reading
 * is paused for storage). Checked by one timer that re-arms itself for the time still left, instead of a timer reset
 * per group.
 *
 * <p>Threads: groups arrive on the body's thread (the event loop), tasks run on the storage scheduler, the timer on its
 * own; the decisions (start a task, end the stream) are taken in {@link #drain}, by one thread at a time (a
 * work-in-progress counter). Never blocks the calling thread; one instance per stream.
 */
final class NdjsonStream extends BaseSubscriber<NdjsonLines.Group> {

    /** Bytes of lines that may wait for a task before the body is read further. */
    static final long QUEUE_LIMIT = 1 << 20;

    private final FluxSink<byte[]> answers;
    private final Function<List<NdjsonLines.Group>, byte[]> append;
    private final Function<Throwable, byte[]> errorLine;
    private final Scheduler storage;
    private final Scheduler timer;
    private final long idleMillis;

    private final Queue<NdjsonLines.Group> queued = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile long lastArrival;
    private volatile boolean bodyDone;
    private volatile Throwable bodyFailure; // answered after the lines before it
    private volatile Throwable fatal; // answered at once
    private volatile boolean cancelled;
    private volatile boolean running;
    private volatile Disposable idleCheck;
    private boolean finished; // read and written in drain only

    private NdjsonStream(
            FluxSink<byte[]> answers,
            Function<List<NdjsonLines.Group>, byte[]> append,
            Function<Throwable, byte[]> errorLine,
            Scheduler storage,
            Scheduler timer,
            Duration idleTimeout) {
        this.answers = answers;
        this.append = append;
        this.errorLine = errorLine;
        this.storage = storage;
        this.timer = timer;
        this.idleMillis = idleTimeout.toMillis();
    }

    /**
     * The answers of a stream whose body is {@code groups}: subscribing reads the body; {@code append} (blocking, run
     * on {@code storage}) appends some groups and returns their answer lines; {@code errorLine} writes the line that
     * ends a failed stream.
     */
    static Flux<byte[]> answers(
            Flux<NdjsonLines.Group> groups,
            Function<List<NdjsonLines.Group>, byte[]> append,
            Function<Throwable, byte[]> errorLine,
            Scheduler storage,
            Scheduler timer,
            Duration idleTimeout) {
        return Flux.create(
                sink -> {
                    NdjsonStream stream = new NdjsonStream(sink, append, errorLine, storage, timer, idleTimeout);
                    sink.onRequest(n -> stream.drain());
                    sink.onCancel(stream::responseCancelled);
                    groups.subscribe(stream);
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        lastArrival = now();
        armIdleCheck(idleMillis);
        request(1);
    }

    @Override
    protected void hookOnNext(NdjsonLines.Group group) {
        lastArrival = now();
        queued.add(group);
        long waiting = queuedBytes.addAndGet(group.data().length);
        drain();
        if (waiting < QUEUE_LIMIT) {
            request(1);
        } else {
            paused.set(true);
            if (queuedBytes.get() < QUEUE_LIMIT) { // a task took them meanwhile
                resume();
            }
        }
    }

    @Override
    protected void hookOnComplete() {
        bodyDone = true;
        disarmIdleCheck();
        drain();
    }

    @Override
    protected void hookOnError(Throwable failure) {
        bodyFailure = failure;
        disarmIdleCheck();
        drain();
    }

    private void responseCancelled() {
        cancelled = true;
        disarmIdleCheck();
        cancel();
        drain();
    }

    /** Reads on after a pause; the pause was the server's, so the client's time starts anew. */
    private void resume() {
        if (paused.compareAndSet(true, false)) {
            lastArrival = now();
            request(1);
        }
    }

    /** Takes the decisions: starts a task or ends the stream, whatever the state now allows. Any thread. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (!finished && !running) {
                if (cancelled) {
                    finished = true;
                } else if (fatal != null) {
                    finish(fatal);
                } else if (!queued.isEmpty()) {
                    if (answers.requestedFromDownstream() > 0) {
                        startTask();
                    }
                } else if (bodyDone) { // before the failure: a timeout may race with the body's end
                    finish(null);
                } else if (bodyFailure != null) {
                    finish(bodyFailure);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void startTask() {
        running = true;
        try {
            storage.schedule(this::appendQueued);
        } catch (RejectedExecutionException e) {
            running = false;
            finish(e);
        }
    }

    /** The storage task: appends every group queued now, emits their answers, then lets {@link #drain} go on. */
    private void appendQueued() {
        List<NdjsonLines.Group> groups = new ArrayList<>();
        long bytes = 0;
        for (NdjsonLines.Group group = queued.poll(); group != null; group = queued.poll()) {
            groups.add(group);
            bytes += group.data().length;
        }
        byte[] answer = null;
        try {
            answer = append.apply(groups);
        } catch (RuntimeException e) {
            fatal = e;
        }
        if (queuedBytes.addAndGet(-bytes) < QUEUE_LIMIT) {
            resume(); // before the answer goes out: the next part of the body can be on its way meanwhile
        }
        if (answer != null && answer.length > 0) {
            answers.next(answer);
        }
        running = false;
        drain();
    }

    private void finish(Throwable failure) {
        finished = true;
        disarmIdleCheck();
        cancel(); // the body, if it is still arriving
        if (failure != null) {
            answers.next(errorLine.apply(failure));
        }
        answers.complete();
    }

    private void armIdleCheck(long delayMillis) {
        idleCheck = timer.schedule(this::checkIdle, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void disarmIdleCheck() {
        Disposable check = idleCheck;
        if (check != null) {
            check.dispose();
        }
    }

    /** On the timer: fails the body if the client has sent nothing for the timeout, else checks again when it could. */
    private void checkIdle() {
        if (bodyDone || bodyFailure != null || cancelled || fatal != null) {
            return;
        }
        long idle = now() - lastArrival;
        if (paused.get()) {
            armIdleCheck(idleMillis);
        } else if (idle >= idleMillis) {
            bodyFailure = new TimeoutException("no part of the body for " + idleMillis + " ms");
            cancel();
            drain();
        } else {
            armIdleCheck(idleMillis - idle);
        }
    }

    private long now() {
        return timer.now(TimeUnit.MILLISECONDS);
    }
}
