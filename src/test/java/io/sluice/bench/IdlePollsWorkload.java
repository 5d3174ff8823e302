package io.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Idle long-polls: {@code connections} clients each hold a long-poll open on an empty partition (re-polling when
 * one ends, as a real client does), their timeouts staggered so that polls end at the steady rate of
 * {@code connections / timeout} per second from the start. First a fifth as many clients renew 1 s polls for 20 s
 * (the JIT's warm-up, see {@link #warmUp}). Once all have been sent, the server holds their connections and its JIT
 * compilers have settled ({@link #awaitCompilersSettled}), samples the server's CPU time and RSS from {@code
 * /proc/<pid>} over {@code seconds}; CPU is reported as a percentage of one core, in all and for the busiest groups of
 * the server's threads (event loops, JIT compilers, timers...). A baseline with no polls open is sampled first for
 * comparison, once the compilers have settled after the warm-up.
 */
final class IdlePollsWorkload {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final long WARM_UP_TIMEOUT_MS = 1000;
    private static final Duration SETTLE_STEP = Duration.ofSeconds(2);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);

    private final SluiceHttp http;
    private final long serverPid;

    IdlePollsWorkload(SluiceHttp http, long serverPid) {
        this.http = http;
        this.serverPid = serverPid;
    }

    Result run(String id, String topic, int connections, int seconds, long pollTimeoutMs) throws Exception {
        http.createTopic(topic, 1);
        warmUp(topic, Math.max(1, connections / 5));
        awaitCompilersSettled();
        CpuWindow baseline = cpuWindow(Math.min(seconds, 10));
        AtomicLong sent = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient counting = http.client().doAfterRequest((request, connection) -> sent.incrementAndGet());
        String path = SluiceHttp.recordsPath(topic, 0, 0, pollTimeoutMs, 1 << 20);
        // Steady state from the start: client i's first poll waits (i+1)/N of the timeout, so the polls end (and are
        // re-sent) spread evenly over every timeout period, N/timeout per second, as long-running clients would.
        // Polls that all started together would all end after the window and hide the re-polling cost.
        Disposable polls = Flux.range(0, connections)
                .flatMap(
                        i -> poll(counting, firstPath(topic, pollTimeoutMs, i, connections), completed, failed)
                                .thenMany(
                                        poll(counting, path, completed, failed).repeat(running::get)),
                        connections)
                .subscribe(ignored -> {}, error -> System.err.println("idle polls ended: " + error));
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sent.get() >= connections);
        // Sent is not yet accepted: give the server time to take every connection before measuring.
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ProcessStats.openFiles(serverPid) >= connections);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.err.println("server holds fewer descriptors than polls sent; measuring anyway");
        }
        double settled = awaitCompilersSettled();
        long completedBefore = completed.get();
        long failedBefore = failed.get();
        long openFiles = ProcessStats.openFiles(serverPid);
        CpuWindow cpu = cpuWindow(seconds);
        double rss = ProcessStats.rssMebibytes(serverPid);
        long repolls = completed.get() - completedBefore;
        long failures = failed.get() - failedBefore;
        running.set(false);
        polls.dispose();
        String text = String.format(
                Locale.ROOT,
                "%,d polls open (server holds %,d file descriptors; JIT compilers settled %.0f s after): %.2f%% of one"
                        + " core over %d s (%s), RSS %.0f MiB (no polls: %.2f%% (%s); %d polls ended at the server's max"
                        + " wait and were re-sent%s%s)",
                connections,
                openFiles,
                settled,
                cpu.percent(),
                seconds,
                cpu.busiestThreads(),
                rss,
                baseline.percent(),
                baseline.busiestThreads(),
                repolls,
                perPoll(cpu.percent() - baseline.percent(), seconds, repolls),
                failures == 0 ? "" : "; " + failures + " polls failed and were retried");
        return Result.of(id, "sluice", cpu.percent(), text);
    }

    /**
     * Renews {@code clients} polls of {@value #WARM_UP_TIMEOUT_MS} ms for {@link #WARM_UP}: tens of thousands of
     * renewals, so that the JIT has compiled the path of a poll that ends empty before it is measured. At the measured
     * rate (10,000 polls of 120 s: 83 a second) it would take the JIT minutes to get there, and its compiling was
     * half of the server's CPU in a 30 s window (BENCHMARKS.md, session 5): a cost of the first minutes, not of
     * holding polls open.
     */
    private void warmUp(String topic, int clients) {
        String path = SluiceHttp.recordsPath(topic, 0, 0, WARM_UP_TIMEOUT_MS, 1 << 20);
        long end = System.nanoTime() + WARM_UP.toNanos();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Flux.range(0, clients)
                .flatMap(
                        i -> poll(http.client(), path, completed, failed).repeat(() -> System.nanoTime() < end),
                        clients)
                .blockLast(WARM_UP.plusMinutes(2));
        System.err.println("idle polls warm-up: " + completed.get() + " polls renewed, " + failed.get() + " failed");
    }

    /**
     * Waits (at most {@link #SETTLE_LIMIT}) until the server's JIT compiler threads used under 1 % of a core over
     * {@link #SETTLE_STEP}; returns the seconds waited. Taking 10,000 new connections pushes the paths that accept a
     * connection and read its first request past the compile thresholds: 0.6-0.7 s of C2 right after the polls were
     * open on a fresh server, and in the full benchmark it spilled into the window (C2 0.5 % of the 1.93 % measured in
     * session 10). That is a cost of opening the polls, as sending them is, not of holding them; the compiling that
     * recurs while polls are held still falls in the window.
     */
    private double awaitCompilersSettled() {
        long start = System.nanoTime();
        double[] last = {compilerSeconds()};
        try {
            Awaitility.await()
                    .atMost(SETTLE_LIMIT)
                    .pollDelay(SETTLE_STEP)
                    .pollInterval(SETTLE_STEP)
                    .until(() -> {
                        double now = compilerSeconds();
                        boolean quiet = now - last[0] < SETTLE_STEP.toMillis() / 1000.0 / 100;
                        last[0] = now;
                        return quiet;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.err.println(
                    "the server's JIT compilers were still busy after " + SETTLE_LIMIT + "; measuring anyway");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double compilerSeconds() {
        try {
            return ProcessStats.cpuSecondsByThreadGroup(serverPid).entrySet().stream()
                    .filter(group -> group.getKey().contains("CompilerThre"))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstPath(String topic, long pollTimeoutMs, int client, int connections) {
        long timeout = Math.max(1, pollTimeoutMs * (client + 1) / connections);
        return SluiceHttp.recordsPath(topic, 0, 0, timeout, 1 << 20);
    }

    /**
     * One poll; a failed one (e.g. a connection refused while 10,000 connect at once) is counted and retried after a
     * pause, as a real client would, instead of ending every other poll with it.
     */
    private static Mono<Integer> poll(HttpClient client, String path, AtomicLong completed, AtomicLong failed) {
        return client.get()
                .uri(path)
                .responseSingle((response, body) ->
                        body.asByteArray().thenReturn(response.status().code()))
                .defaultIfEmpty(0)
                .doOnNext(status -> completed.incrementAndGet())
                .onErrorResume(error -> {
                    if (failed.incrementAndGet() == 1) {
                        System.err.println("idle poll failed (retrying): " + error);
                    }
                    return Mono.delay(RETRY_PAUSE).thenReturn(-1);
                });
    }

    /**
     * Server CPU above the baseline per poll that ended, when enough ended for the figure to mean something and the
     * baseline was below the window (a JIT compiling in the baseline has put it above).
     */
    private static String perPoll(double cpuPercentAboveBaseline, int seconds, long ended) {
        if (ended < 1000 || cpuPercentAboveBaseline <= 0) {
            return "";
        }
        double micros = cpuPercentAboveBaseline / 100 * seconds * 1e6 / ended;
        return String.format(Locale.ROOT, ", about %.0f µs of server CPU each", micros);
    }

    private CpuWindow cpuWindow(int seconds) throws IOException, InterruptedException {
        double before = ProcessStats.cpuSeconds(serverPid);
        Map<String, Double> threadsBefore = ProcessStats.cpuSecondsByThreadGroup(serverPid);
        TimeUnit.SECONDS.sleep(seconds); // measuring a window of wall time, not synchronising
        double after = ProcessStats.cpuSeconds(serverPid);
        Map<String, Double> threads = ProcessStats.cpuSecondsByThreadGroup(serverPid);
        threads.replaceAll((name, used) -> 100.0 * (used - threadsBefore.getOrDefault(name, 0.0)) / seconds);
        return new CpuWindow(100.0 * (after - before) / seconds, threads);
    }

    /** The server's CPU over a window, in % of one core: in all, and by group of threads. */
    private record CpuWindow(double percent, Map<String, Double> byThreads) {

        private static final int SHOWN = 4;

        /** The {@value #SHOWN} groups of threads that used the most, e.g. {@code reactor-http-ep 0.93%, ...}. */
        String busiestThreads() {
            return byThreads.entrySet().stream()
                    .filter(group -> group.getValue() > 0)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(SHOWN)
                    .map(group -> String.format(Locale.ROOT, "%s %.2f%%", group.getKey(), group.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }
}
