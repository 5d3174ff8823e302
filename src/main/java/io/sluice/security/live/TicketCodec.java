package io.sluice.security.live;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The text form of a stream ticket, signed so that any node holding the same secret can verify it without shared
 * state. Pure: no clock, no storage.
 *
 * <p>Format: {@code st1.<payload>.<mac>}, both parts unpadded base64url. The payload is, in order: a 16-byte random
 * nonce (makes every ticket unique and is the key of single-use tracking), the ticket's expiry (epoch millis, 8
 * bytes), the credential's expiry (8 bytes), then the principal and the credential as 2-byte length + UTF-8. The mac is
 * HMAC-SHA256 over the ASCII text {@code st1.<payload>}, so the version prefix is signed too. The payload is not
 * encrypted: it names the principal, which its holder knows anyway, and never holds a secret.
 *
 * <p>Thread-safe (a {@link Mac} is made per call; tickets are issued at human rates).
 */
final class TicketCodec {

    /** A verified ticket's content. {@code nonce} is the base64url text of the random nonce. */
    record Body(String nonce, long expiresAt, StreamIdentity identity) {}

    static final int NONCE_BYTES = 16;
    static final int MIN_SECRET_BYTES = 32;

    private static final String PREFIX = "st1.";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    /** Far above any honest ticket (two 1 KiB fields); longer input is refused before any decoding. */
    private static final int MAX_TICKET_CHARS = 4096;

    private final SecretKeySpec key;

    TicketCodec(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the ticket secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    String encode(byte[] nonce, long expiresAt, StreamIdentity identity) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(nonce);
            out.writeLong(expiresAt);
            out.writeLong(identity.credentialExpiresAt());
            writeField(out, identity.principal());
            writeField(out, identity.credential());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String signed = PREFIX + B64.encodeToString(bytes.toByteArray());
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /** The ticket's content if it is well-formed and its signature is ours; does not look at time or reuse. */
    Body decode(String ticket) {
        if (ticket == null || ticket.length() > MAX_TICKET_CHARS || !ticket.startsWith(PREFIX)) {
            throw new TicketRejectedException(TicketRejectedException.Reason.MALFORMED);
        }
        int dot = ticket.lastIndexOf('.');
        if (dot < PREFIX.length()) {
            throw new TicketRejectedException(TicketRejectedException.Reason.MALFORMED);
        }
        String signed = ticket.substring(0, dot);
        byte[] mac = base64(ticket.substring(dot + 1));
        // Constant-time comparison: timing must not tell a forger how many leading bytes were right.
        if (!MessageDigest.isEqual(mac, mac(signed))) {
            throw new TicketRejectedException(TicketRejectedException.Reason.BAD_SIGNATURE);
        }
        return parse(base64(signed.substring(PREFIX.length())));
    }

    private static Body parse(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            byte[] nonce = in.readNBytes(NONCE_BYTES);
            long expiresAt = in.readLong();
            long credentialExpiresAt = in.readLong();
            String principal = readField(in);
            String credential = readField(in);
            if (nonce.length != NONCE_BYTES || in.available() != 0) {
                throw new IOException("bad length");
            }
            return new Body(
                    B64.encodeToString(nonce),
                    expiresAt,
                    new StreamIdentity(principal, credential, credentialExpiresAt));
        } catch (IOException e) {
            // Signed by us yet unreadable: only a codec change could do that; refuse it like any other bad ticket.
            throw new TicketRejectedException(TicketRejectedException.Reason.MALFORMED);
        }
    }

    private static void writeField(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > StreamIdentity.MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("ticket field longer than " + StreamIdentity.MAX_FIELD_BYTES + " bytes");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static String readField(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated field");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Decodes canonical base64url only: the decoder ignores a last character's spare bits, a ticket may not. */
    private static byte[] base64(String text) {
        try {
            byte[] bytes = B64_DECODE.decode(text);
            if (B64.encodeToString(bytes).equals(text)) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new TicketRejectedException(TicketRejectedException.Reason.MALFORMED);
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
