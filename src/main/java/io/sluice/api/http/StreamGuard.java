package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AuditLog;
import io.sluice.security.Authorizer;
import io.sluice.security.Operation;
import io.sluice.security.Principal;
import io.sluice.security.ResourceType;
import io.sluice.security.live.LiveStream;
import io.sluice.security.live.OpenStreams;
import io.sluice.security.live.StreamIdentity;
import java.util.Locale;

/**
 * The security of one live stream (a WebSocket connection, an SSE or NDJSON follow response): who opened it, what it
 * may do, and its entry in {@link OpenStreams} so that revocation, expiry and ACL changes reach it while it is open.
 * Made by {@link StreamGuards} when the stream starts.
 *
 * <p>{@link #require} checks (and audits) one operation as it is asked for; a denial is a 403-like {@link
 * SluiceException} whose message only repeats the name the caller gave, so it says nothing about whether the resource
 * exists. {@link #allows} checks silently, for re-checks and for filtering what the stream shows. An open guard
 * (security off) allows everything and registers nothing. Immutable, thread-safe, non-blocking.
 */
public final class StreamGuard {

    private static final StreamGuard OPEN = new StreamGuard(null, null, null, null, null, "-");

    private final Authorizer authorizer;
    private final AuditLog audit;
    private final OpenStreams streams;
    private final Principal principal;
    private final StreamIdentity identity;
    private final String remote;

    StreamGuard(
            Authorizer authorizer,
            AuditLog audit,
            OpenStreams streams,
            Principal principal,
            StreamIdentity identity,
            String remote) {
        this.authorizer = authorizer;
        this.audit = audit;
        this.streams = streams;
        this.principal = principal;
        this.identity = identity;
        this.remote = remote;
    }

    /** Allows everything: security is off. */
    public static StreamGuard open() {
        return OPEN;
    }

    public boolean enforcing() {
        return authorizer != null;
    }

    /** Whose stream this is; null when security is off. */
    public StreamIdentity identity() {
        return identity;
    }

    /**
     * Passes if the caller may do {@code operation} on {@code type}/{@code name}; otherwise throws FORBIDDEN. Audited.
     *
     * @param what the request, for the audit log (e.g. {@code WS subscribe})
     */
    public void require(Operation operation, ResourceType type, String name, String what) {
        if (!enforcing()) {
            return;
        }
        boolean allowed = authorizer.allowed(principal, operation, type, name);
        audit.decision(allowed, principal, operation, type, name, remote, what);
        if (!allowed) {
            throw new SluiceException(
                    ErrorCode.FORBIDDEN,
                    "not authorized to " + operation + " " + type.name().toLowerCase(Locale.ROOT) + " '" + name + "'");
        }
    }

    /** Whether the caller may do {@code operation} on {@code type}/{@code name}, not audited. */
    public boolean allows(Operation operation, ResourceType type, String name) {
        return !enforcing() || authorizer.allowed(principal, operation, type, name);
    }

    /** Registers the open stream so security changes reach it; close the registration when the stream ends. */
    public OpenStreams.Registration register(LiveStream stream) {
        return enforcing() ? streams.register(stream) : () -> {};
    }
}
