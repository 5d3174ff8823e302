package io.sluice.app;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP server's epoll event loops, which sleep until there is something to do. Netty 4.2's loops, when no task is
 * scheduled, tell their I/O handler to wake them one second from now ({@code SingleThreadEventExecutor.deadlineNanos}),
 * so every idle loop woke once a second to find nothing: on this project's 2-core VM about 170 µs a wake-up, a sixth
 * of an idle server's CPU for its four loops. These loops report "nothing scheduled" instead, and epoll waits for I/O,
 * a submitted task or the next scheduled task (an idle timeout, a keep-alive), as Netty 4.1's epoll loop did.
 *
 * <p>What that changes: a task handed to a loop from another thread without waking it ({@code lazyExecute}: Netty uses
 * it for a write not followed by a flush and for removing a cancelled scheduled task) runs at the loop's next wake-up
 * rather than within a second. Netty follows such writes with a flush, which wakes the loop, and a cancelled task left
 * in the queue wakes the loop at its own deadline at the latest, where it is dropped.
 *
 * <p>As many loops as Reactor Netty's default ({@link LoopResources#DEFAULT_IO_WORKER_COUNT}), on daemon threads
 * named {@code sluice-http-<n>} that, like Reactor Netty's own, count as non-blocking for Reactor and BlockHound.
 * Used only where epoll is available ({@link #available()}); elsewhere the server keeps Reactor Netty's loops.
 * Thread-safe.
 */
final class QuietEventLoops implements LoopResources {

    private final MultiThreadIoEventLoopGroup loops;

    QuietEventLoops(int threads) {
        this.loops = new Group(threads, new LoopThreads("sluice-http-"), EpollIoHandler.newFactory());
    }

    static boolean available() {
        return Epoll.isAvailable();
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops;
    }

    @Override
    public boolean daemon() {
        return true;
    }

    @Override
    public boolean isDisposed() {
        return loops.isShuttingDown();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.create(
                done -> loops.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .addListener(stopped -> done.success()));
    }

    /** A group whose loops are {@link QuietLoop}s. */
    private static final class Group extends MultiThreadIoEventLoopGroup {
        Group(int threads, ThreadFactory threadFactory, IoHandlerFactory handlers) {
            super(threads, threadFactory, handlers);
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory handlers, Object... args) {
            return new QuietLoop(this, executor, handlers);
        }
    }

    /** A loop that reports no deadline when nothing is scheduled (-1, which the epoll handler takes as "none"). */
    static final class QuietLoop extends SingleThreadIoEventLoop {
        QuietLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory handlers) {
            super(parent, executor, handlers);
        }

        @Override
        protected long deadlineNanos() {
            return nextScheduledTaskDeadlineNanos();
        }
    }

    /** Netty's fast thread-locals, and non-blocking in Reactor's eyes, as Reactor Netty's own loop threads are. */
    private static final class LoopThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        LoopThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new LoopThread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    private static final class LoopThread extends FastThreadLocalThread implements NonBlocking {
        LoopThread(Runnable task, String name) {
            super(task, name);
        }
    }
}
