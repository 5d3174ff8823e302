package io.sluice.app;

import io.sluice.fetch.GroupFetchService;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Answers waiting consumer-group reads when the application stops, before the web server's graceful shutdown would
 * wait for them (the same reason as {@link FetchShutdown}).
 */
@Component
class GroupReadShutdown implements SmartLifecycle {

    private final GroupFetchService reads;
    private volatile boolean running;

    GroupReadShutdown(GroupFetchService reads) {
        this.reads = reads;
    }

    @Override
    public void start() {
        reads.resumeWaiting(); // start follows a stop when a paused context is resumed
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        reads.stopWaiting();
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
