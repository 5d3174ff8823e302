package io.sluice.app;

import io.sluice.fetch.FetchService;
import io.sluice.fetch.GroupFetchService;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Answers parked long-poll reads (partition reads and consumer-group reads) when the application stops. Runs
 * before the web server's graceful shutdown (a higher phase stops first), which would otherwise wait for those reads
 * until its own timeout.
 */
@Component
class WaitingReadsShutdown implements SmartLifecycle {

    private final FetchService fetch;
    private final GroupFetchService groupReads;
    private volatile boolean running;

    WaitingReadsShutdown(FetchService fetch, GroupFetchService groupReads) {
        this.fetch = fetch;
        this.groupReads = groupReads;
    }

    @Override
    public void start() {
        // start follows a stop when a paused test context is resumed
        fetch.resumeWaiting();
        groupReads.resumeWaiting();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        groupReads.stopWaiting(); // group reads sit on top of partition reads: stop them first
        fetch.stopWaiting();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
