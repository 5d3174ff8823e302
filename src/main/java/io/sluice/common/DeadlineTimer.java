package io.sluice.common;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks after a delay on one thread, made for many short-lived timeouts (long-poll reads, most of them cancelled
 * long before they are due).
 *
 * <p>Scheduling takes no lock and never blocks (it is safe on a network event loop): it allocates one entry and adds
 * it to a lock-free queue. Only the timer's thread orders entries by deadline, in a heap nobody else touches. Cancelling
 * marks the entry; a cancelled entry is dropped when the thread next sees it, at once if it had not reached the heap.
 * While anything is pending the thread wakes once per tick and runs, in one pass, every task that is due, so tasks run
 * up to one tick late and never early; with nothing pending it sleeps until something is scheduled.
 *
 * <p>Tasks run one after the other on the timer's thread and must be short; one that throws is logged and does not
 * stop the others. Thread-safe.
 */
public final class DeadlineTimer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeadlineTimer.class.getName());

    /** A scheduled task. */
    public interface Timeout {
        /** Stops the task from running; false if it already ran (or was cancelled before). */
        boolean cancel();
    }

    private final Clock clock;
    private final long tickNanos;
    private final Queue<Entry> incoming = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Entry> heap = new PriorityQueue<>(Comparator.comparingLong(entry -> entry.deadline));
    private final AtomicInteger held = new AtomicInteger();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;

    /** A timer whose thread (a daemon named {@code name}) starts at once. */
    public DeadlineTimer(String name, Clock clock, long tickMillis) {
        this(clock, tickMillis, name);
        thread.start();
    }

    private DeadlineTimer(Clock clock, long tickMillis, String name) {
        if (tickMillis < 1) {
            throw new IllegalArgumentException("tick must be >= 1 ms, got " + tickMillis);
        }
        this.clock = clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /** A timer without a thread: tasks run only when {@link #runDue} is called (for tests driving a manual clock). */
    static DeadlineTimer manual(Clock clock) {
        return new DeadlineTimer(clock, 1, "manual");
    }

    /** Runs {@code task} on the timer's thread once {@code delayMillis} have passed, unless cancelled first. */
    public Timeout schedule(Runnable task, long delayMillis) {
        Entry entry = new Entry(task, clock.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)));
        held.incrementAndGet();
        incoming.add(entry);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return entry;
    }

    /** Entries not yet run or dropped (cancelled ones count until the thread drops them). */
    public int held() {
        return held.get();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /** Runs every task due at {@code nowNanos}; only ever called by one thread. Returns whether entries remain. */
    boolean runDue(long nowNanos) {
        for (Entry entry; (entry = incoming.poll()) != null; ) {
            if (entry.isCancelled()) {
                held.decrementAndGet();
            } else {
                heap.add(entry);
            }
        }
        while (!heap.isEmpty() && heap.peek().deadline <= nowNanos) {
            Entry entry = heap.poll();
            held.decrementAndGet();
            if (entry.claim()) {
                runQuietly(entry.task);
            }
        }
        return !heap.isEmpty();
    }

    private void loop() {
        while (!closed) {
            if (runDue(clock.nanoseconds())) {
                LockSupport.parkNanos(this, tickNanos);
                continue;
            }
            // Nothing pending: sleep until schedule() wakes us. The flag is set before the last look at the queue,
            // so an entry added after that look sees the flag and unparks (an unpark before the park is kept).
            sleeping = true;
            if (incoming.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            sleeping = false;
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "timer task failed", e);
        }
    }

    private static final class Entry extends AtomicInteger implements Timeout {
        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        private static final int RUN = 2;

        final Runnable task;
        final long deadline;

        Entry(Runnable task, long deadline) {
            this.task = task;
            this.deadline = deadline;
        }

        @Override
        public boolean cancel() {
            return compareAndSet(PENDING, CANCELLED);
        }

        boolean isCancelled() {
            return get() == CANCELLED;
        }

        boolean claim() {
            return compareAndSet(PENDING, RUN);
        }
    }
}
