package io.sluice.app;

import io.sluice.fetch.FetchService;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Answers parked long-poll reads when the application stops. Runs before the web server's graceful shutdown (a
 * higher phase stops first), which would otherwise wait for those reads until its own timeout.
 */
@Component
class FetchShutdown implements SmartLifecycle {

    private final FetchService fetch;
    private volatile boolean running;

    FetchShutdown(FetchService fetch) {
        this.fetch = fetch;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
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
