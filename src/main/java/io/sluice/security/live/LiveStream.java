package io.sluice.security.live;

/**
 * An open WebSocket, SSE or NDJSON follow stream as seen by {@link OpenStreams}. Implemented at the web edge.
 *
 * <p>Both methods may be called from any thread (the one that revokes a key, the expiry sweep) and must not block:
 * they only signal the stream, which then closes on its own threads.
 */
public interface LiveStream {

    /** Why a stream is ended from outside. */
    enum End {
        /** Its credential was revoked or its principal deleted. */
        REVOKED,
        /** Its credential (a JWT) expired. */
        EXPIRED
    }

    /** Whose stream this is. */
    StreamIdentity identity();

    /** Ends the stream: a final error frame or event, then close (WebSocket status 1008). Idempotent. */
    void end(End why);

    /**
     * Permissions changed (an ACL was removed or altered): check again what the stream does now and end what is no
     * longer allowed.
     */
    void recheck();
}
