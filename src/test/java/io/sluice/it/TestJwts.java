package io.sluice.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;

/**
 * A token issuer for tests: an RSA key pair made at start, its public half served as a JWK set over HTTP on a random
 * loopback port, and a second, unpublished key pair under the same key id to forge tokens with.
 */
public final class TestJwts {

    public static final String ISSUER = "https://issuer.sluice.test";
    public static final String KEY_ID = "test-key";

    private final KeyPair trusted = rsa();
    private final KeyPair forger = rsa();
    private final HttpServer server;

    public TestJwts() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) trusted.getPublic())
                        .keyID(KEY_ID)
                        .build())
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    public String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) trusted.getPublic();
    }

    /** A valid token naming {@code user} in {@code claim}, valid for an hour. */
    public String valid(String claim, String user) {
        return sign(trusted, claims(ISSUER, claim, user, Instant.now().plusSeconds(3600)));
    }

    /** A valid token naming {@code user} in {@code claim} that expires at {@code expiry}. */
    public String expiringAt(String claim, String user, Instant expiry) {
        return sign(trusted, claims(ISSUER, claim, user, expiry));
    }

    /** Expired an hour ago (well past any clock skew allowance). */
    public String expired(String claim, String user) {
        return sign(trusted, claims(ISSUER, claim, user, Instant.now().minusSeconds(3600)));
    }

    /** Signed with a key the server does not trust (same key id). */
    public String forged(String claim, String user) {
        return sign(forger, claims(ISSUER, claim, user, Instant.now().plusSeconds(3600)));
    }

    public String wrongIssuer(String claim, String user) {
        return sign(
                trusted,
                claims("https://evil.example", claim, user, Instant.now().plusSeconds(3600)));
    }

    /** A valid signature over claims without the principal claim. */
    public String withoutPrincipal() {
        return sign(
                trusted,
                new JWTClaimsSet.Builder()
                        .issuer(ISSUER)
                        .subject("3f0c")
                        .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                        .build());
    }

    public void close() {
        server.stop(0);
    }

    private static JWTClaimsSet claims(String issuer, String claim, String user, Instant expiry) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("subject-of-" + user)
                .claim(claim, user)
                .issueTime(Date.from(expiry.minusSeconds(7200)))
                .expirationTime(Date.from(expiry))
                .build();
    }

    private static String sign(KeyPair keys, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
