package io.sluice.app;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says loudly at start when the server is open to the network without security (security off and the bind address
 * not loopback: {@code server.address} unset means every interface), and warns about a weak admin key.
 */
@Component
class SecurityStartupCheck implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(SecurityStartupCheck.class);

    /** Fewer characters than this in the admin key earn a warning (a generated key has 43). */
    private static final int MIN_ADMIN_KEY_LENGTH = 32;

    private final SecurityProperties security;
    private final Environment environment;

    SecurityStartupCheck(SecurityProperties security, Environment environment) {
        this.security = security;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!security.isEnabled()) {
            String address = environment.getProperty("server.address");
            if (!isLoopback(address)) {
                log.warn(
                        "SECURITY IS OFF and port {} listens on {}: anyone who can reach it may read, write and delete"
                                + " every topic. Set sluice.security.enabled=true (see README, Security) or bind to"
                                + " localhost with server.address=127.0.0.1.",
                        event.getWebServer().getPort(),
                        address == null ? "every interface" : address);
            }
            return;
        }
        String adminKey = security.getAdminKey();
        if (adminKey == null || adminKey.isBlank()) {
            log.info(
                    "security on; no admin key configured (sluice.security.admin-key): only stored keys and JWTs work");
        } else if (adminKey.length() < MIN_ADMIN_KEY_LENGTH) {
            log.warn(
                    "sluice.security.admin-key is shorter than {} characters: use a long random one (openssl rand"
                            + " -base64 32)",
                    MIN_ADMIN_KEY_LENGTH);
        }
        log.info(
                "security on: bearer API keys{}; ACLs enforced; audit log on logger 'sluice.audit'",
                security.getJwt().isConfigured() ? " and JWTs" : "");
    }

    private static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            // a literal address or "localhost": no DNS query for a literal
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
