package io.sluice.security.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamTicketsTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final StreamIdentity ALICE = new StreamIdentity("alice", "key:k1", StreamIdentity.NEVER);

    private final ManualClock clock = new ManualClock();
    private final StreamTickets tickets = new StreamTickets(SECRET, Duration.ofSeconds(30), clock);

    @Test
    void anIssuedTicketRedeemsToItsGrant() {
        IssuedTicket issued = tickets.issue(new StreamIdentity("bob", "jwt:x-1", clock.milliseconds() + 600_000));

        assertThat(issued.expiresAt()).isEqualTo(clock.milliseconds() + 30_000);
        assertThat(issued.ticket()).matches("st1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(tickets.redeem(issued.ticket()))
                .isEqualTo(new StreamIdentity("bob", "jwt:x-1", clock.milliseconds() + 600_000));
    }

    @Test
    void aTicketIsAcceptedOnlyOnce() {
        String ticket = tickets.issue(ALICE).ticket();
        tickets.redeem(ticket);

        assertRejected(ticket, TicketRejectedException.Reason.ALREADY_USED);
    }

    @Test
    void aTicketExpiresAfterItsLifetime() {
        String early = tickets.issue(ALICE).ticket();
        String late = tickets.issue(ALICE).ticket();
        clock.advanceMillis(29_999);
        assertThat(tickets.redeem(early).principal()).isEqualTo("alice");

        clock.advanceMillis(1);
        assertRejected(late, TicketRejectedException.Reason.EXPIRED);
    }

    @Test
    void aTicketNeverOutlivesItsCredential() {
        long tokenExpiry = clock.milliseconds() + 5_000;
        IssuedTicket issued = tickets.issue(new StreamIdentity("carol", "jwt:t", tokenExpiry));

        assertThat(issued.expiresAt()).isEqualTo(tokenExpiry);
        clock.advanceMillis(5_000);
        assertRejected(issued.ticket(), TicketRejectedException.Reason.EXPIRED);
    }

    @Test
    void aTicketOfACredentialRevokedAfterIssueIsRefused() {
        String revokedKeys = tickets.issue(ALICE).ticket();
        String otherKeys = tickets.issue(new StreamIdentity("alice", "key:k2", StreamIdentity.NEVER))
                .ticket();
        tickets.credentialRevoked("key:k1");

        assertRejected(revokedKeys, TicketRejectedException.Reason.CREDENTIAL_REVOKED);
        assertThat(tickets.redeem(otherKeys).credential()).isEqualTo("key:k2");
    }

    @Test
    void anotherNodeWithTheSameSecretAcceptsTheTicketButOnlyOnceThere() {
        StreamTickets otherNode = new StreamTickets(SECRET.clone(), Duration.ofSeconds(30), clock);
        String ticket = tickets.issue(ALICE).ticket();

        assertThat(otherNode.redeem(ticket)).isEqualTo(ALICE);
        assertThatThrownBy(() -> otherNode.redeem(ticket)).isInstanceOf(TicketRejectedException.class);
    }

    @Test
    void aNodeWithAnotherSecretRefusesTheTicket() {
        StreamTickets stranger = new StreamTickets(StreamTickets.randomSecret(), Duration.ofSeconds(30), clock);

        assertThatThrownBy(() -> stranger.redeem(tickets.issue(ALICE).ticket()))
                .isInstanceOfSatisfying(
                        TicketRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(TicketRejectedException.Reason.BAD_SIGNATURE));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyAlteredCharacterIsRefused(long seed) {
        Random random = new Random(seed);
        String ticket = tickets.issue(new StreamIdentity("dave", "key:" + seed, StreamIdentity.NEVER))
                .ticket();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < ticket.length(); i++) {
            char replacement = alphabet.charAt(random.nextInt(alphabet.length()));
            if (replacement == ticket.charAt(i)) {
                continue;
            }
            String altered = ticket.substring(0, i) + replacement + ticket.substring(i + 1);
            assertThatThrownBy(() -> tickets.redeem(altered))
                    .as("seed %d, position %d: %s", seed, i, altered)
                    .isInstanceOf(TicketRejectedException.class);
        }
        assertThat(tickets.redeem(ticket).principal()).as("seed %d", seed).isEqualTo("dave");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "st1.", "st1..", "st1.AAAA.AAAA", "st2.AAAA.AAAA", "Bearer x", "st1.!!!.???"})
    void garbageIsRefusedAsMalformedOrForged(String garbage) {
        assertThatThrownBy(() -> tickets.redeem(garbage)).isInstanceOf(TicketRejectedException.class);
    }

    @Test
    void missingAndHugeTicketsAreRefused() {
        assertRejected(null, TicketRejectedException.Reason.MALFORMED);
        assertRejected("st1." + "A".repeat(10_000), TicketRejectedException.Reason.MALFORMED);
    }

    @Test
    void ticketsAreUniqueAndCarryAtLeast128RandomBits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            seen.add(tickets.issue(ALICE).ticket());
        }
        assertThat(seen).hasSize(2_000);
        assertThat(TicketCodec.NONCE_BYTES * 8).isGreaterThanOrEqualTo(128);
    }

    @Test
    void usedTicketsAreForgottenOnceExpired() {
        for (int i = 0; i < 200; i++) {
            tickets.redeem(tickets.issue(ALICE).ticket());
        }
        assertThat(tickets.remembered()).isEqualTo(200);
        clock.advanceMillis(30_001);
        for (int i = 0; i < 56; i++) {
            tickets.redeem(tickets.issue(ALICE).ticket());
        }
        // the 256th redemption swept the 200 expired ones; the 56 new ones stay until they expire
        assertThat(tickets.remembered()).isEqualTo(56);
    }

    @Test
    void racingRedemptionsOfOneTicketHaveOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                String ticket = tickets.issue(ALICE).ticket();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                Callable<Boolean> attempt = () -> {
                    start.await();
                    try {
                        tickets.redeem(ticket);
                        return true;
                    } catch (TicketRejectedException e) {
                        return false;
                    }
                };
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(attempt));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get() ? 1 : 0;
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aShortSecretOrNonPositiveLifetimeIsAConfigurationError() {
        assertThatThrownBy(() -> new StreamTickets(new byte[16], Duration.ofSeconds(30), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamTickets(SECRET, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oversizedPrincipalNamesAreRefusedAtIssue() {
        assertThatThrownBy(() -> tickets.issue(new StreamIdentity("x".repeat(2_000), "key:k", StreamIdentity.NEVER)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void assertRejected(String ticket, TicketRejectedException.Reason reason) {
        assertThatThrownBy(() -> tickets.redeem(ticket))
                .isInstanceOfSatisfying(
                        TicketRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
