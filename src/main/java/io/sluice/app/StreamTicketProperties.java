package io.sluice.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code sluice.security.tickets.*}: the stream tickets browsers use to open WebSockets and SSE streams (see {@link
 * io.sluice.security.live.StreamTickets}). Bound next to {@link SecurityProperties}, which ignores these keys.
 */
@ConfigurationProperties("sluice.security.tickets")
public class StreamTicketProperties {

    /** How long a ticket may wait before it is used (it is single-use either way). */
    private Duration lifetime = Duration.ofSeconds(30);

    /**
     * Base64 of the HMAC key (32+ bytes) tickets are signed with (env SLUICE_SECURITY_TICKETS_SECRET). Give every node
     * of a cluster the same one so that a ticket from one node opens a stream on another; unset, each process makes a
     * random one (tickets then only work on the node that issued them, and not across a restart).
     */
    private String secret;

    public Duration getLifetime() {
        return lifetime;
    }

    public void setLifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }
}
