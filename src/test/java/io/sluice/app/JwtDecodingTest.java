package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.it.TestJwts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.FileSystemResource;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;

/** JWT validation from a PEM public key file (the JWK-set variant runs in the security ITs). */
class JwtDecodingTest {

    /** Shared: making RSA keys takes a while. */
    private static final TestJwts jwts = new TestJwts();

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        jwts.close();
    }

    private JwtReactiveAuthenticationManager manager(String issuer, List<String> audiences) throws Exception {
        Path pem = dir.resolve("jwt.pem");
        String body = Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(jwts.publicKey().getEncoded());
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        SecurityProperties.Jwt config = new SecurityProperties.Jwt();
        config.setPublicKeyLocation(new FileSystemResource(pem));
        config.setIssuerUri(issuer);
        config.setPrincipalClaim("preferred_username");
        config.setAudiences(audiences);
        return JwtDecoding.manager(config, "admin").orElseThrow();
    }

    private static Authentication authenticate(JwtReactiveAuthenticationManager manager, String token) {
        return manager.authenticate(new BearerTokenAuthenticationToken(token)).block();
    }

    @Test
    void aValidTokenNamesThePrincipalByTheConfiguredClaim() throws Exception {
        Authentication login =
                authenticate(manager(TestJwts.ISSUER, List.of()), jwts.valid("preferred_username", "erin"));
        assertThat(login.getName()).isEqualTo("erin");
        assertThat(login.isAuthenticated()).isTrue();
    }

    @Test
    void expiredForgedWrongIssuerAndNamelessTokensAreRefused() throws Exception {
        JwtReactiveAuthenticationManager manager = manager(TestJwts.ISSUER, List.of());
        for (String token : List.of(
                jwts.expired("preferred_username", "erin"),
                jwts.forged("preferred_username", "erin"),
                jwts.wrongIssuer("preferred_username", "erin"),
                jwts.withoutPrincipal(),
                jwts.valid("preferred_username", "two words"),
                jwts.valid("preferred_username", "admin"))) {
            assertThatThrownBy(() -> authenticate(manager, token))
                    .isInstanceOf(org.springframework.security.core.AuthenticationException.class);
        }
    }

    @Test
    void withoutAnIssuerAnyIssuerPassesButAudiencesAreEnforced() throws Exception {
        assertThat(authenticate(manager(null, List.of()), jwts.wrongIssuer("preferred_username", "erin"))
                        .getName())
                .isEqualTo("erin");
        JwtReactiveAuthenticationManager strict = manager(null, List.of("sluice"));
        assertThatThrownBy(() -> authenticate(strict, jwts.valid("preferred_username", "erin")))
                .isInstanceOf(org.springframework.security.core.AuthenticationException.class);
    }

    @Test
    void unconfiguredMeansNoJwtSupport() {
        assertThat(JwtDecoding.manager(new SecurityProperties.Jwt(), "admin")).isEmpty();
    }
}
