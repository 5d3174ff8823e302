package io.sluice.common;

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
 * it to a lock-free queue. Only the timer's thread orders entries, in two heaps nobody else touches: by deadline (what
 * is due) and by latest start (when to wake). Cancelling marks the entry and lets go of its task at once (a cancelled
 * long-poll timeout must not keep the finished read, records included, reachable until its deadline); the entry is
 * dropped when the thread next sees it, at once if it had not reached the heaps, and the heaps are swept whenever
 * more than half of what they hold is cancelled, so a busy server whose polls mostly end with data (minutes before
 * their deadlines) holds memory for the polls still parked, not for every poll of the last minutes.
 *
 * <p>A task never runs before its deadline, and runs at the latest a slack after it: 1/{@value #SLACK_FRACTION} of
 * its delay, at least one tick and at most the timer's maximum slack. The thread sleeps until the earliest latest start
 * and then runs, in one pass, every task whose deadline has come, so timeouts that fall due close together share one
 * wake-up (and their answers reach the network in a burst, not one by one): with 10,000 idle long-polls of 120 s and a
 * 200 ms maximum slack, about 5 passes a second instead of 80, each finding its code and data warm in the caches. A
 * 120 s timeout then answers up to 200 ms late, a 100 ms one up to a tick late. With nothing pending the thread sleeps
 * until something is scheduled; a task whose latest start is before the thread's planned wake-up wakes it (a
 * schedule() racing with the thread going to sleep is seen by one side or the other: the thread publishes its wake-up
 * time before its last look at the queue, schedule() adds before it reads that time).
 *
 * <p>Tasks run one after the other on the timer's thread and must be short; one that throws is logged and does not
 * stop the others. Thread-safe.
 */
public final class DeadlineTimer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeadlineTimer.class.getName());
    private static final long AWAKE = Long.MIN_VALUE;

    /** Cancelled entries below this many are left to leave the heaps at their deadlines (a sweep is linear). */
    static final int SWEEP_MINIMUM = 1024;

    /** A task may run this fraction of its delay late (within the tick and the maximum slack). */
    static final int SLACK_FRACTION = 32;

    /** A scheduled task. */
    public interface Timeout {
        /** Stops the task from running; false if it already ran (or was cancelled before). */
        boolean cancel();
    }

    private final Clock clock;
    private final long tickNanos;
    private final long maxSlackNanos;
    private final Queue<Entry> incoming = new ConcurrentLinkedQueue<>();
    private final LongHeap<Entry> byDeadline = new LongHeap<>();
    private final LongHeap<Entry> byLatest = new LongHeap<>();
    private final AtomicInteger held = new AtomicInteger();
    /** Entries cancelled but not yet dropped by the thread. */
    private final AtomicInteger cancelled = new AtomicInteger();

    private final Thread thread;
    /** When the sleeping thread will wake by itself ({@link Long#MAX_VALUE}: never); {@link #AWAKE} while it runs. */
    private volatile long wakeAt = AWAKE;
    /** Written by the timer's thread only. */
    private volatile long passes;

    private volatile boolean closed;

    /** A timer whose thread starts at once; every task may run up to one tick late. */
    public DeadlineTimer(String name, Clock clock, long tickMillis) {
        this(name, clock, tickMillis, tickMillis);
    }

    /**
     * A timer whose thread (a daemon named {@code name}) starts at once; a task may run up to its slack late, between
     * {@code tickMillis} and {@code maxSlackMillis} (see the class comment).
     */
    public DeadlineTimer(String name, Clock clock, long tickMillis, long maxSlackMillis) {
        this(clock, tickMillis, maxSlackMillis, name);
        thread.start();
    }

    private DeadlineTimer(Clock clock, long tickMillis, long maxSlackMillis, String name) {
        if (tickMillis < 1 || maxSlackMillis < tickMillis) {
            throw new IllegalArgumentException(
                    "need 1 ms <= tick <= max slack, got " + tickMillis + " ms and " + maxSlackMillis + " ms");
        }
        this.clock = clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.maxSlackNanos = TimeUnit.MILLISECONDS.toNanos(maxSlackMillis);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /** A timer without a thread: tasks run only when {@link #runDue} is called (for tests driving a manual clock). */
    static DeadlineTimer manual(Clock clock) {
        return manual(clock, 1, 1);
    }

    /** A timer without a thread and with the given tick and maximum slack (see {@link #nextWake}). */
    static DeadlineTimer manual(Clock clock, long tickMillis, long maxSlackMillis) {
        return new DeadlineTimer(clock, tickMillis, maxSlackMillis, "manual");
    }

    /** Runs {@code task} on the timer's thread once {@code delayMillis} have passed, unless cancelled first. */
    public Timeout schedule(Runnable task, long delayMillis) {
        long delay = TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        long slack = Math.min(maxSlackNanos, Math.max(tickNanos, delay / SLACK_FRACTION));
        long deadline = clock.nanoseconds() + delay;
        Entry entry = new Entry(task, deadline, deadline + slack, cancelled);
        held.incrementAndGet();
        incoming.add(entry);
        long planned = wakeAt;
        if (planned != AWAKE && entry.latest < planned) {
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
                dropped(1);
            } else {
                byDeadline.add(entry.deadline, entry);
                byLatest.add(entry.latest, entry);
            }
        }
        if (cancelled.get() > Math.max(SWEEP_MINIMUM, byDeadline.size() / 2)) {
            sweepCancelled();
        }
        while (!byDeadline.isEmpty() && byDeadline.peekKey() <= nowNanos) {
            Entry entry = byDeadline.poll();
            Runnable task = entry.claim();
            if (task == null) {
                dropped(1);
            } else {
                held.decrementAndGet();
                runQuietly(task);
            }
        }
        return !byDeadline.isEmpty();
    }

    /** Drops every cancelled entry from both heaps: linear, and only when they make up most of the heaps. */
    private void sweepCancelled() {
        int before = byDeadline.size();
        byDeadline.removeIf(Entry::isCancelled);
        byLatest.removeIf(entry -> !entry.isPending());
        dropped(before - byDeadline.size());
    }

    private void dropped(int cancelledEntries) {
        held.addAndGet(-cancelledEntries);
        cancelled.addAndGet(-cancelledEntries);
    }

    /**
     * When the thread, having run a pass at {@code lastPassNanos}, next needs to: the earliest latest start of a task
     * still pending, but not before one tick after that pass; {@link Long#MAX_VALUE} when no task is pending.
     */
    long nextWake(long lastPassNanos) {
        // entries that ran or were cancelled leave this heap only when they reach its top
        while (!byLatest.isEmpty() && !byLatest.peek().isPending()) {
            byLatest.poll();
        }
        return byLatest.isEmpty() ? Long.MAX_VALUE : Math.max(byLatest.peekKey(), lastPassNanos + tickNanos);
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

        /** Null once cancelled or claimed; read only by the thread that won the state change. */
        private Runnable task;

        final long deadline;
        /** The deadline plus the task's slack: it must have run by then. */
        final long latest;

        private final AtomicInteger cancelledCount;

        Entry(Runnable task, long deadline, long latest, AtomicInteger cancelledCount) {
            this.task = task;
            this.deadline = deadline;
            this.latest = latest;
            this.cancelledCount = cancelledCount;
        }

        @Override
        public boolean cancel() {
            if (!compareAndSet(PENDING, CANCELLED)) {
                return false;
            }
            task = null;
            cancelledCount.incrementAndGet();
            return true;
        }

        boolean isCancelled() {
            return get() == CANCELLED;
        }

        boolean isPending() {
            return get() == PENDING;
        }

        /** The task, now marked as run; null if it was cancelled first. */
        Runnable claim() {
            if (!compareAndSet(PENDING, RUN)) {
                return null;
            }
            Runnable claimed = task;
            task = null;
            return claimed;
        }
    }
}
