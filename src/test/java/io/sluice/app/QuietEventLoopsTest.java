package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

class QuietEventLoopsTest {

    private QuietEventLoops loops;
    private EventLoop loop;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(QuietEventLoops.available(), "epoll is not available here");
        loops = new QuietEventLoops(1);
        loop = loops.onServer(true).next();
        loop.submit(() -> {}).sync(); // starts the loop's thread
    }

    @AfterEach
    void stop() {
        if (loops != null) {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block();
        }
    }

    @Test
    void reportsNoDeadlineWhileNothingIsScheduled() throws Exception {
        assertThat(deadline()).isEqualTo(-1);

        ScheduledFuture<?> later = loop.schedule(() -> {}, 5, TimeUnit.SECONDS);
        assertThat(deadline()).isPositive();

        later.cancel(false);
        assertThat(deadline()).isEqualTo(-1);
    }

    @Test
    void anIdleLoopDoesNotWakeUp() throws Exception {
        String tid = loop.submit(() -> Files.readSymbolicLink(Path.of("/proc/thread-self")))
                .get()
                .getFileName()
                .toString();
        long[] last = {-1};
        // settled: the loop has finished the task above and gone to sleep (no run for 100 ms)
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = timesRun(tid);
                    boolean same = now == last[0];
                    last[0] = now;
                    return same;
                });
        long runs = timesRun(tid);

        // Netty 4.2's own loops wake once a second here
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> timesRun(tid) == runs);
    }

    @Test
    void wakesForATaskScheduledFromAnotherThread() {
        long start = System.nanoTime();
        ScheduledFuture<?> task = loop.schedule(() -> {}, 300, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(5)).until(task::isDone);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void runsOnNamedDaemonThreadsThatReactorTreatsAsNonBlocking() throws Exception {
        Thread thread = loop.submit(Thread::currentThread).get();
        boolean nonBlocking = loop.submit(Schedulers::isInNonBlockingThread).get();

        assertThat(thread.getName()).isEqualTo("sluice-http-1");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(nonBlocking).isTrue();
    }

    private long deadline() throws Exception {
        QuietEventLoops.QuietLoop quiet = (QuietEventLoops.QuietLoop) loop;
        return loop.submit(quiet::deadlineNanos).get();
    }

    /** How many times the kernel has run the thread (the third field of its {@code schedstat}). */
    private static long timesRun(String tid) {
        return Long.parseLong(read(Path.of("/proc/self/task", tid, "schedstat")).split(" ")[2]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
