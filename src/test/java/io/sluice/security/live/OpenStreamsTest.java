package io.sluice.security.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenStreamsTest {

    private final ManualClock clock = new ManualClock();
    private final OpenStreams streams = new OpenStreams(clock);

    /** Records what the registry told it. */
    private static final class FakeStream implements LiveStream {
        final StreamIdentity identity;
        final List<End> ends = new ArrayList<>();
        int rechecks;

        FakeStream(String principal, String credential, long expiresAt) {
            this.identity = new StreamIdentity(principal, credential, expiresAt);
        }

        @Override
        public StreamIdentity identity() {
            return identity;
        }

        @Override
        public void end(End why) {
            ends.add(why);
        }

        @Override
        public void recheck() {
            rechecks++;
        }
    }

    @Test
    void revokingACredentialEndsOnlyItsStreamsOnce() {
        FakeStream aliceKey1 = open("alice", "key:1", StreamIdentity.NEVER);
        FakeStream aliceKey1Again = open("alice", "key:1", StreamIdentity.NEVER);
        FakeStream aliceKey2 = open("alice", "key:2", StreamIdentity.NEVER);

        assertThat(streams.credentialRevoked("key:1")).isEqualTo(2);
        assertThat(streams.credentialRevoked("key:1")).isZero();

        assertThat(aliceKey1.ends).containsExactly(LiveStream.End.REVOKED);
        assertThat(aliceKey1Again.ends).containsExactly(LiveStream.End.REVOKED);
        assertThat(aliceKey2.ends).isEmpty();
        assertThat(streams.size()).isEqualTo(1);
    }

    @Test
    void removingAPrincipalEndsAllItsStreams() {
        FakeStream viaKey = open("bob", "key:7", StreamIdentity.NEVER);
        FakeStream viaToken = open("bob", "jwt:abc", clock.milliseconds() + 60_000);
        FakeStream other = open("bobby", "key:8", StreamIdentity.NEVER);

        assertThat(streams.principalRemoved("bob")).isEqualTo(2);

        assertThat(viaKey.ends).containsExactly(LiveStream.End.REVOKED);
        assertThat(viaToken.ends).containsExactly(LiveStream.End.REVOKED);
        assertThat(other.ends).isEmpty();
    }

    @Test
    void aStreamEndsWhenItsTokenExpiresAndNotBefore() {
        FakeStream token = open("carol", "jwt:t1", clock.milliseconds() + 10_000);
        FakeStream key = open("carol", "key:1", StreamIdentity.NEVER);

        clock.advanceMillis(9_999);
        assertThat(streams.expire()).isZero();
        clock.advanceMillis(1);
        assertThat(streams.expire()).isEqualTo(1);

        assertThat(token.ends).containsExactly(LiveStream.End.EXPIRED);
        assertThat(key.ends).isEmpty();
    }

    @Test
    void permissionChangesAskTheAffectedStreamsToCheckAgainWithoutEndingThem() {
        FakeStream dave = open("dave", "key:1", StreamIdentity.NEVER);
        FakeStream erin = open("erin", "key:2", StreamIdentity.NEVER);

        assertThat(streams.permissionsChanged("dave")).isEqualTo(1);
        assertThat(streams.permissionsChanged(null)).isEqualTo(2);

        assertThat(dave.rechecks).isEqualTo(2);
        assertThat(erin.rechecks).isEqualTo(1);
        assertThat(dave.ends).isEmpty();
        assertThat(streams.size()).isEqualTo(2);
    }

    @Test
    void aClosedStreamIsNoLongerNotified() {
        FakeStream stream = new FakeStream("frank", "key:1", StreamIdentity.NEVER);
        OpenStreams.Registration registration = streams.register(stream);
        registration.close();
        registration.close();

        assertThat(streams.credentialRevoked("key:1")).isZero();
        assertThat(streams.permissionsChanged(null)).isZero();
        assertThat(stream.ends).isEmpty();
        assertThat(streams.size()).isZero();
    }

    private FakeStream open(String principal, String credential, long expiresAt) {
        FakeStream stream = new FakeStream(principal, credential, expiresAt);
        streams.register(stream);
        return stream;
    }
}
