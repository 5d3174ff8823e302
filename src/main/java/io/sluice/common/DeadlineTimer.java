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
 *
 * <p>The thread sleeps until the earliest deadline it knows of, but wakes at most once per tick: a pass runs every task
 * due by then, so tasks run up to one tick late and never early, and many nearby deadlines share one wake-up. With
 * nothing pending it sleeps until something is scheduled. A task scheduled earlier than the thread's planned wake-up
 * wakes it (a schedule() racing with the thread going to sleep is seen by one side or the other: the thread publishes
 * its wake-up time before its last look at the queue, schedule() adds before it reads that time), so a parked
 * read with a far timeout costs no wake-ups at all until it is due.
 *
 * <p>Tasks run one after the other on the timer's thread and must be short; one that throws is logged and does not
 * stop the others. Thread-safe.
 */
public final class DeadlineTimer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeadlineTimer.class.getName());
    private static final long AWAKE = Long.MIN_VALUE;

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
    /** When the sleeping thread will wake by itself ({@link Long#MAX_VALUE}: never); {@link #AWAKE} while it runs. */
    private volatile long wakeAt = AWAKE;
    /** Written by the timer's thread only. */
    private volatile long passes;

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
        return manual(clock, 1);
    }

    /** A timer without a thread and with the given tick (see {@link #nextWake}). */
    static DeadlineTimer manual(Clock clock, long tickMillis) {
        return new DeadlineTimer(clock, tickMillis, "manual");
    }

    /** Runs {@code task} on the timer's thread once {@code delayMillis} have passed, unless cancelled first. */
    public Timeout schedule(Runnable task, long delayMillis) {
        Entry entry = new Entry(task, clock.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)));
        held.incrementAndGet();
        incoming.add(entry);
        long planned = wakeAt;
        if (planned != AWAKE && entry.deadline < planned) {
            LockSupport.unpark(thread);
        }
        return entry;
    }

    /** Passes the thread has made over its entries (each wake-up makes one): what an idle timer should not spend. */
    long passes() {
        return passes;
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

    /**
     * When the thread, having run a pass at {@code lastPassNanos}, next needs to: the earliest deadline it holds, but
     * not before one tick after that pass; {@link Long#MAX_VALUE} when it holds nothing.
     */
    long nextWake(long lastPassNanos) {
        Entry earliest = heap.peek();
        return earliest == null ? Long.MAX_VALUE : Math.max(earliest.deadline, lastPassNanos + tickNanos);
    }

    private void loop() {
        while (!closed) {
            long pass = clock.nanoseconds();
            runDue(pass);
            passes++; // only this thread writes it
            long next = nextWake(pass);
            // Publish the plan before the last look at the queue: an entry added after that look sees the plan and
            // unparks us if it is due sooner (an unpark before the park is kept).
            wakeAt = next;
            if (incoming.isEmpty() && !closed) {
                if (next == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long sleep = next - clock.nanoseconds();
                    if (sleep > 0) {
                        LockSupport.parkNanos(this, sleep);
                    }
                }
            }
            wakeAt = AWAKE;
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
