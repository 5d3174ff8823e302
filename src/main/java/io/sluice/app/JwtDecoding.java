package io.sluice.app;

import io.sluice.security.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoders;
import org.springframework.security.oauth2.jwt.SupplierReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;

/**
 * Builds the JWT authentication of {@code sluice.security.jwt.*} on Spring Security's resource-server classes. Keys
 * come from, in order: a JWK set URI, a PEM RSA public key file, or the issuer's OpenID discovery document (fetched
 * on first use, off the event loops). Every token must be signed by those keys, be within its {@code exp}/{@code nbf}
 * window (60 s skew), come from the issuer when one is set, carry one of the audiences when any are set, and carry
 * the principal claim as a valid principal name other than the admin key's (which is a super-user by name).
 */
final class JwtDecoding {

    private JwtDecoding() {}

    /** The JWT authentication manager, if JWTs are configured. */
    static Optional<JwtReactiveAuthenticationManager> manager(SecurityProperties.Jwt jwt, String adminPrincipal) {
        if (!jwt.isConfigured()) {
            return Optional.empty();
        }
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder(jwt, adminPrincipal));
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setPrincipalClaimName(jwt.getPrincipalClaim());
        manager.setJwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter));
        return Optional.of(manager);
    }

    static ReactiveJwtDecoder decoder(SecurityProperties.Jwt jwt, String adminPrincipal) {
        if (jwt.getJwkSetUri() == null && jwt.getPublicKeyLocation() == null) {
            String issuer = jwt.getIssuerUri();
            return new SupplierReactiveJwtDecoder(() -> {
                NimbusReactiveJwtDecoder discovered =
                        (NimbusReactiveJwtDecoder) ReactiveJwtDecoders.fromIssuerLocation(issuer);
                discovered.setJwtValidator(validator(jwt, adminPrincipal));
                return discovered;
            });
        }
        NimbusReactiveJwtDecoder decoder = jwt.getJwkSetUri() != null
                ? NimbusReactiveJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).build()
                : NimbusReactiveJwtDecoder.withPublicKey(publicKey(jwt)).build();
        decoder.setJwtValidator(validator(jwt, adminPrincipal));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt jwt, String adminPrincipal) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(
                jwt.getIssuerUri() != null
                        ? JwtValidators.createDefaultWithIssuer(jwt.getIssuerUri())
                        : JwtValidators.createDefault());
        // the admin key's principal is a super-user by name: no token may claim it
        validators.add(new JwtClaimValidator<Object>(
                jwt.getPrincipalClaim(),
                value -> value instanceof String name && Principal.isValidName(name) && !name.equals(adminPrincipal)));
        List<String> audiences = List.copyOf(jwt.getAudiences());
        if (!audiences.isEmpty()) {
            validators.add(new JwtClaimValidator<Collection<String>>(
                    "aud", aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static RSAPublicKey publicKey(SecurityProperties.Jwt jwt) {
        try (InputStream pem = jwt.getPublicKeyLocation().getInputStream()) {
            return RsaKeyConverters.x509().convert(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sluice.security.jwt.public-key-location", e);
        }
    }
}
