package io.sluice.storage;

import io.sluice.common.Clock;
import io.sluice.common.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

/**
 * All partition logs under one data directory ({@code <data-dir>/<topic>-<partition>/}).
 *
 * <p>Start-up loads every partition directory in parallel on {@code recoveryThreads} threads. The
 * {@code .clean-shutdown} marker, written last by {@link #close()} and deleted at start-up, tells whether the logs
 * must be recovered. A partition that fails to load (corrupt flushed data, I/O error) is reported and kept
 * offline: {@link #get} and {@link #getOrCreate} throw for it instead of creating a fresh empty log over it.
 *
 * <p>{@link #flushDue} visits only the logs with flush work: those that rolled a segment, moved or cut back their
 * recovery point or changed config since the last visit, and those with a finite {@code flush.ms}. Visiting every
 * log each second made a broker with thousands of idle partitions pay for touching each one.
 *
 * <p>Thread-safe. Creation and deletion of a partition are serialised per partition by the concurrent map.
 */
public final class LogManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LogManager.class.getName());

    private final StorageFiles files;
    private final Path dataDir;
    private final LogConfig defaults;
    private final Clock clock;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, StorageException> offline = new ConcurrentHashMap<>();
    private final List<LogListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<PartitionLog> flushChecks = ConcurrentHashMap.newKeySet();
    private final LogEvents events = new LogEvents() {
        @Override
        public void highWatermarkMoved(PartitionLog log) {
            fireHighWatermark(log);
        }

        @Override
        public void flushCheckWanted(PartitionLog log) {
            wantFlushCheck(log);
        }
    };
    private volatile Runnable flushCheckWanted = () -> {};
    private final int threads;
    private volatile boolean closed;

    private LogManager(StorageFiles files, Path dataDir, LogConfig defaults, Clock clock, int threads) {
        this.files = files;
        this.dataDir = dataDir;
        this.threads = threads;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** Opens the data dir (creating it), loading and if needed recovering every partition in parallel. */
    public static LogManager open(Path dataDir, LogConfig defaults, Clock clock, int recoveryThreads) {
        return open(StorageFiles.real(), dataDir, defaults, clock, recoveryThreads);
    }

    /** As {@link #open(Path, LogConfig, Clock, int)}, changing files only through the given door. */
    public static LogManager open(
            StorageFiles files, Path dataDir, LogConfig defaults, Clock clock, int recoveryThreads) {
        try {
            files.createDirectories(dataDir);
            LogManager manager = new LogManager(files, dataDir, defaults, clock, Math.max(1, recoveryThreads));
            Path marker = LogFiles.cleanShutdownFile(dataDir);
            boolean clean = Files.exists(marker);
            manager.loadAll(clean);
            files.deleteIfExists(marker);
            files.fsyncDirectory(dataDir);
            return manager;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open data dir " + dataDir, e);
        }
    }

    private void loadAll(boolean clean) throws IOException {
        List<Path> dirs;
        try (Stream<Path> children = Files.list(dataDir)) {
            dirs = children.filter(Files::isDirectory)
                    .filter(d -> LogFiles.parsePartitionDir(d.getFileName().toString())
                            .isPresent())
                    .toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("log-recovery"));
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (Path dir : dirs) {
                loads.add(pool.submit(() -> loadOne(dir, clean)));
            }
            for (Future<?> f : loads) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while loading logs", e);
        } catch (ExecutionException e) {
            throw new StorageException("loading logs failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        LOG.log(
                Level.INFO,
                "loaded " + logs.size() + " partition logs from " + dataDir
                        + (clean ? " after a clean shutdown" : " with recovery") + ", " + offline.size() + " offline");
    }

    private void loadOne(Path dir, boolean clean) {
        TopicPartition tp =
                LogFiles.parsePartitionDir(dir.getFileName().toString()).orElseThrow();
        try {
            PartitionLog log = PartitionLog.open(tp, dir, defaults, clock, clean, events, files);
            logs.put(tp, log);
            wantFlushCheck(log); // recovery may have left the recovery point or its checkpoint behind
        } catch (IOException | RuntimeException e) {
            StorageException error =
                    e instanceof StorageException se ? se : new LogOfflineException("cannot load " + tp + ": " + e, e);
            offline.put(tp, error);
            LOG.log(Level.ERROR, "partition " + tp + " is offline: it failed to load", e);
        }
    }

    private void fireHighWatermark(PartitionLog log) {
        long hw = log.highWatermark();
        for (LogListener l : listeners) {
            try {
                l.onHighWatermarkAdvanced(log.topicPartition(), hw);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "log listener failed", e);
            }
        }
    }

    /**
     * The log of tp, created with this config if it does not exist. An existing log takes this config if it
     * differs: logs loaded at start-up carry the defaults until their topic's config is applied this way (or by
     * {@link PartitionLog#updateConfig}).
     */
    public PartitionLog getOrCreate(TopicPartition tp, LogConfig config) {
        checkOpen();
        checkNotOffline(tp);
        PartitionLog log = logs.computeIfAbsent(tp, key -> {
            try {
                PartitionLog created =
                        PartitionLog.open(key, LogFiles.partitionDir(dataDir, key), config, clock, true, events, files);
                wantFlushCheck(created); // a finite flush.ms is due by time alone
                return created;
            } catch (IOException e) {
                throw new LogOfflineException("cannot create the log of " + key, e);
            }
        });
        if (!log.config().equals(config)) {
            log.updateConfig(config);
        }
        return log;
    }

    /** The log of tp if it exists; throws {@link LogOfflineException} if it exists but could not be loaded. */
    public Optional<PartitionLog> get(TopicPartition tp) {
        checkNotOffline(tp);
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> all() {
        return List.copyOf(logs.values());
    }

    /** Partitions that failed to load or went offline while running, with the reason. */
    public Map<TopicPartition, StorageException> offlinePartitions() {
        Map<TopicPartition, StorageException> all = new HashMap<>(offline);
        for (PartitionLog log : logs.values()) {
            log.offlineCause().ifPresent(cause -> all.put(log.topicPartition(), cause));
        }
        return Map.copyOf(all);
    }

    /** Closes the log of tp and removes its directory. */
    public void delete(TopicPartition tp) {
        PartitionLog log = logs.remove(tp);
        offline.remove(tp);
        try {
            if (log != null) {
                flushChecks.remove(log);
                log.deleteFiles();
            } else {
                deleteRecursively(LogFiles.partitionDir(dataDir, tp));
            }
        } catch (IOException e) {
            throw new StorageException("cannot delete the files of " + tp, e);
        }
    }

    private void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                files.deleteIfExists(f);
            }
        }
        files.deleteIfExists(dir);
    }

    public void addListener(LogListener listener) {
        listeners.add(listener);
    }

    /** Applies retention to every log; call periodically. */
    public void enforceRetention() {
        for (PartitionLog log : logs.values()) {
            try {
                log.deleteOldSegments();
            } catch (StorageException e) {
                LOG.log(Level.ERROR, "retention failed for " + log.topicPartition(), e);
            }
        }
    }

    /** Checks every log for files removed under it ({@link PartitionLog#checkFiles}); call periodically. */
    public void checkFiles() {
        for (PartitionLog log : logs.values()) {
            try {
                log.checkFiles();
            } catch (StorageException e) {
                // the log logged it and is offline now; the others are checked all the same
            }
        }
    }

    /**
     * Flushes logs whose flush.ms elapsed or that rolled segments, and checkpoints recovery points; call periodically
     * while it returns true (some log wants the next check: a finite flush.ms, or a change during this one), and again
     * when {@link #whenFlushCheckWanted} signals. A log is taken off the list before its check, so a change during the
     * check puts it back for the next call (which is why this walks a copy: the live set's iterator may meet a log put
     * back and loop on it).
     */
    public boolean flushDue() {
        for (PartitionLog log : List.copyOf(flushChecks)) {
            flushChecks.remove(log);
            try {
                if (log.flushIfDue()) {
                    flushChecks.add(log);
                }
            } catch (StorageException e) {
                LOG.log(Level.ERROR, "flush failed for " + log.topicPartition(), e);
            }
        }
        return !flushChecks.isEmpty();
    }

    /**
     * Runs {@code signal} whenever a log asks for a flush check (and at once if one is wanted now), so that
     * {@link #flushDue} need not be called while no log has flush work. The signal may run under a log's lock and on
     * the append path: it must only schedule, cheaply.
     */
    public void whenFlushCheckWanted(Runnable signal) {
        flushCheckWanted = signal;
        if (!flushChecks.isEmpty()) {
            signal.run();
        }
    }

    private void wantFlushCheck(PartitionLog log) {
        flushChecks.add(log);
        flushCheckWanted.run();
    }

    /** The partitions the next {@link #flushDue} will visit. */
    Set<TopicPartition> awaitingFlushCheck() {
        Set<TopicPartition> partitions = new HashSet<>();
        flushChecks.forEach(log -> partitions.add(log.topicPartition()));
        return partitions;
    }

    /**
     * Flushes and closes every log (in parallel: closing is mostly waiting for fsync), then writes the
     * clean-shutdown marker if every log closed cleanly.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean allClean = offline.isEmpty();
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("log-close"));
        try {
            List<Future<Boolean>> closes = new ArrayList<>();
            for (PartitionLog log : logs.values()) {
                closes.add(pool.submit(() -> closeOne(log)));
            }
            for (Future<Boolean> f : closes) {
                allClean &= f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            allClean = false;
        } catch (ExecutionException e) {
            allClean = false;
        } finally {
            pool.shutdownNow();
        }
        if (allClean) {
            try {
                AtomicFiles.write(files, LogFiles.cleanShutdownFile(dataDir), java.nio.ByteBuffer.allocate(0));
            } catch (IOException e) {
                LOG.log(Level.ERROR, "cannot write the clean-shutdown marker", e);
            }
        }
    }

    private static boolean closeOne(PartitionLog log) {
        try {
            boolean clean = !log.isOffline();
            log.close();
            return clean;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "closing " + log.topicPartition() + " failed", e);
            return false;
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("log manager is closed");
        }
    }

    private void checkNotOffline(TopicPartition tp) {
        StorageException cause = offline.get(tp);
        if (cause != null) {
            throw new LogOfflineException(tp + " is offline: " + cause.getMessage(), cause);
        }
    }
}
