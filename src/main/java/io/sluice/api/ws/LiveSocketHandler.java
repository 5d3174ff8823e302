package io.sluice.api.ws;

import io.sluice.api.http.StreamGuards;
import io.sluice.common.Clock;
import io.sluice.group.GroupCoordinator;
import io.sluice.quota.QuotaManager;
import io.sluice.stats.ThroughputStats;
import io.sluice.stream.LogAccess;
import io.sluice.stream.RecordProducer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code /ws} endpoint (protocol: docs/websocket.md). Each connection gets its own {@link SocketConnection};
 * this class only holds what connections share and counts frames for observability and tests. {@code groups} may be
 * null: group subscriptions are then refused. Each connection gets the {@link io.sluice.api.http.StreamGuard} of the
 * principal that opened it (the handshake was authenticated by the security filter chain, by bearer header or stream
 * ticket). Frames are metered against the principal's quotas ({@link SocketQuota}); {@code quotas} may be null (no
 * quotas). Thread-safe.
 */
public final class LiveSocketHandler implements WebSocketHandler {

    /** What every connection of this handler uses. */
    record Shared(
            LogAccess logs,
            RecordProducer producer,
            ThroughputStats stats,
            ServerFrames frames,
            ClientOps ops,
            Scheduler storageScheduler,
            Scheduler timer,
            Clock clock,
            WsSettings settings,
            AtomicLong framesQueued,
            AtomicLong connections,
            GroupCoordinator groups,
            StreamGuards guards,
            QuotaManager quotas) {}

    private final Shared shared;

    public LiveSocketHandler(
            LogAccess logs,
            RecordProducer producer,
            ThroughputStats stats,
            ObjectMapper mapper,
            Scheduler storageScheduler,
            Scheduler timer,
            Clock clock,
            WsSettings settings,
            GroupCoordinator groups,
            StreamGuards guards,
            QuotaManager quotas) {
        this.shared = new Shared(
                logs,
                producer,
                stats,
                new ServerFrames(mapper),
                new ClientOps(mapper, settings.streams().maxBatchRecords()),
                storageScheduler,
                timer,
                clock,
                settings,
                new AtomicLong(),
                new AtomicLong(),
                groups,
                guards,
                quotas);
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        InetSocketAddress address = session.getHandshakeInfo().getRemoteAddress();
        String remote = address == null ? "-" : address.getHostString();
        return shared.guards()
                .guard(session.getHandshakeInfo().getPrincipal(), remote)
                .flatMap(guard -> new SocketConnection(shared, session, guard).run());
    }

    /**
     * Frames built for all sockets but not yet taken by their network layer: read from the log but not yet handed to
     * Netty. Stays bounded however slow the clients are (at most one batch per subscription plus queued control frames).
     */
    public long framesQueued() {
        return shared.framesQueued().get();
    }

    /** WebSocket connections currently open. */
    public long openConnections() {
        return shared.connections().get();
    }
}
