package io.sluice.app;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;

/** sluice.security.*: authentication (API keys, JWTs) and ACL authorization. Off by default. */
@ConfigurationProperties("sluice.security")
public class SecurityProperties {

    /** Whether every request must authenticate and pass the ACLs. Off: everything is open (a WARN says so). */
    private boolean enabled = false;

    /**
     * A bootstrap super-user key (env SLUICE_SECURITY_ADMIN_KEY). Use 32+ random characters, e.g. {@code openssl rand
     * -base64 32}.
     */
    private String adminKey;

    /** The principal the admin key authenticates as; a super-user, and a name the API refuses to create. */
    private String adminPrincipal = "admin";

    /** Further principals (e.g. JWT subjects) that bypass every ACL. */
    private List<String> superUsers = new ArrayList<>();

    @NestedConfigurationProperty
    private final Jwt jwt = new Jwt();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getAdminKey() {
        return adminKey;
    }

    public void setAdminKey(String adminKey) {
        this.adminKey = adminKey;
    }

    public String getAdminPrincipal() {
        return adminPrincipal;
    }

    public void setAdminPrincipal(String adminPrincipal) {
        this.adminPrincipal = adminPrincipal;
    }

    public List<String> getSuperUsers() {
        return superUsers;
    }

    public void setSuperUsers(List<String> superUsers) {
        this.superUsers = superUsers;
    }

    public Jwt getJwt() {
        return jwt;
    }

    /** Bearer JWTs (Spring Security's resource-server support). Unset: JWTs are refused, only API keys work. */
    public static class Jwt {

        /** Required issuer ({@code iss}); alone, the JWK set is discovered from its OpenID configuration. */
        private String issuerUri;

        /** Where the signing keys are published (a JWK set). */
        private String jwkSetUri;

        /** A PEM file holding the RSA public key that signs tokens (instead of a JWK set). */
        private Resource publicKeyLocation;

        /** The claim naming the principal. */
        private String principalClaim = "sub";

        /** If set, a token's {@code aud} must contain one of these. */
        private List<String> audiences = new ArrayList<>();

        public boolean isConfigured() {
            return issuerUri != null || jwkSetUri != null || publicKeyLocation != null;
        }

        public String getIssuerUri() {
            return issuerUri;
        }

        public void setIssuerUri(String issuerUri) {
            this.issuerUri = issuerUri;
        }

        public String getJwkSetUri() {
            return jwkSetUri;
        }

        public void setJwkSetUri(String jwkSetUri) {
            this.jwkSetUri = jwkSetUri;
        }

        public Resource getPublicKeyLocation() {
            return publicKeyLocation;
        }

        public void setPublicKeyLocation(Resource publicKeyLocation) {
            this.publicKeyLocation = publicKeyLocation;
        }

        public String getPrincipalClaim() {
            return principalClaim;
        }

        public void setPrincipalClaim(String principalClaim) {
            this.principalClaim = principalClaim;
        }

        public List<String> getAudiences() {
            return audiences;
        }

        public void setAudiences(List<String> audiences) {
            this.audiences = audiences;
        }
    }
}
