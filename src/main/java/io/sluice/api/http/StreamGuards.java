package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AuditLog;
import io.sluice.security.Authorizer;
import io.sluice.security.Principal;
import io.sluice.security.live.OpenStreams;
import io.sluice.security.live.StreamIdentity;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Makes the {@link StreamGuard} of each live stream from the principal the security filter chain authenticated (an
 * API key, a JWT or a stream ticket). {@code identities} turns that principal into the stream's identity (credential
 * and its expiry); it lives with the authentication code. Immutable, thread-safe.
 */
public final class StreamGuards {

    private static final StreamGuards OPEN = new StreamGuards(null, null, null, null);

    private final Authorizer authorizer;
    private final AuditLog audit;
    private final OpenStreams streams;
    private final Function<java.security.Principal, StreamIdentity> identities;

    private StreamGuards(
            Authorizer authorizer,
            AuditLog audit,
            OpenStreams streams,
            Function<java.security.Principal, StreamIdentity> identities) {
        this.authorizer = authorizer;
        this.audit = audit;
        this.streams = streams;
        this.identities = identities;
    }

    /** Security off: every stream gets the open guard. */
    public static StreamGuards open() {
        return OPEN;
    }

    public static StreamGuards enforcing(
            Authorizer authorizer,
            AuditLog audit,
            OpenStreams streams,
            Function<java.security.Principal, StreamIdentity> identities) {
        return new StreamGuards(authorizer, audit, streams, identities);
    }

    /** The guard of a stream opened by {@code caller}; UNAUTHORIZED if security is on and there is no caller. */
    public Mono<StreamGuard> guard(Mono<? extends java.security.Principal> caller, String remote) {
        if (authorizer == null) {
            return Mono.just(StreamGuard.open());
        }
        return caller.<StreamGuard>map(principal -> new StreamGuard(
                        authorizer,
                        audit,
                        streams,
                        new Principal(principal.getName()),
                        identities.apply(principal),
                        remote))
                .switchIfEmpty(
                        Mono.error(() -> new SluiceException(ErrorCode.UNAUTHORIZED, "authentication required")));
    }
}
