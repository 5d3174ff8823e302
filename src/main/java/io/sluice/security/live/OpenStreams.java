package io.sluice.security.live;

import io.sluice.common.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every open live stream of this node, so that a security change reaches streams that are already open: revoking a
 * credential or deleting a principal ends that principal's streams at once; an ACL change makes every stream of the
 * affected principal check again; a stream whose credential expired (a JWT) is ended by {@link #expire}, which the
 * application calls on a short fixed interval (the bound on how late an expired token's stream ends).
 *
 * <p>Streams register when they open and deregister when they close, whatever the reason. Notifications call the
 * streams' non-blocking {@link LiveStream} methods on the caller's thread. Thread-safe.
 */
public final class OpenStreams {

    /** Removes a stream from the registry; closing twice is harmless. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public OpenStreams(Clock clock) {
        this.clock = clock;
    }

    public Registration register(LiveStream stream) {
        streams.add(stream);
        return () -> streams.remove(stream);
    }

    /** Ends the streams opened with {@code credential}; returns how many. */
    public int credentialRevoked(String credential) {
        return end(stream -> stream.identity().credential().equals(credential), LiveStream.End.REVOKED);
    }

    /** Ends every stream of {@code principal}, whatever its credential; returns how many. */
    public int principalRemoved(String principal) {
        return end(stream -> stream.identity().principal().equals(principal), LiveStream.End.REVOKED);
    }

    /** Asks the streams of {@code principal} (all streams when null) to check their permissions again. */
    public int permissionsChanged(String principal) {
        List<LiveStream> affected = matching(
                stream -> principal == null || stream.identity().principal().equals(principal));
        affected.forEach(LiveStream::recheck);
        return affected.size();
    }

    /** Ends the streams whose credential has expired by the clock's wall time; returns how many. */
    public int expire() {
        long now = clock.milliseconds();
        return end(stream -> stream.identity().credentialExpiresAt() <= now, LiveStream.End.EXPIRED);
    }

    /** Streams open now. */
    public int size() {
        return streams.size();
    }

    private int end(Predicate<LiveStream> which, LiveStream.End why) {
        int ended = 0;
        for (LiveStream stream : matching(which)) {
            // Removed first so a stream is ended once even if its own close races with this notification.
            if (streams.remove(stream)) {
                stream.end(why);
                ended++;
            }
        }
        return ended;
    }

    private List<LiveStream> matching(Predicate<LiveStream> which) {
        return streams.stream().filter(which).toList();
    }
}
