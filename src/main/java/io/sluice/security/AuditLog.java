package io.sluice.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one line on the logger {@value #LOGGER} per security decision worth keeping, i.e. every denial
 * (401 and 403) and every decision, either way, on an administrative operation (creating, deleting or altering
 * anything; anything on the cluster resource). Plain reads and writes that are allowed are not logged (they are the
 * hot path). Lines are {@code key=value} pairs, values quoted when they hold spaces or quotes:
 *
 * <pre>decision=DENY principal=alice operation=WRITE resource=TOPIC:orders remote=10.0.0.7 request="POST /topics/orders"</pre>
 *
 * Route the logger to its own file with logging configuration (see README). Thread-safe.
 */
public final class AuditLog {

    public static final String LOGGER = "sluice.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    /** Whether an allowed decision on {@code operation}/{@code type} is an admin decision that must be logged. */
    public static boolean isAdministrative(Operation operation, ResourceType type) {
        return type == ResourceType.CLUSTER
                || operation == Operation.CREATE
                || operation == Operation.DELETE
                || operation == Operation.ALTER;
    }

    /** Logs an authorization decision when it is a denial or an administrative one. */
    public void decision(
            boolean allowed,
            Principal principal,
            Operation operation,
            ResourceType type,
            String resource,
            String remote,
            String request) {
        if (allowed && !isAdministrative(operation, type)) {
            return;
        }
        log.info(
                "decision={} principal={} operation={} resource={}:{} remote={} request={}",
                allowed ? "ALLOW" : "DENY",
                quoted(principal.name()),
                operation,
                type,
                quoted(resource),
                quoted(remote),
                quoted(request));
    }

    /** Logs a refused authentication (no, malformed, unknown, revoked or expired credentials). */
    public void unauthenticated(String reason, String remote, String request) {
        log.info(
                "decision=DENY principal=- reason={} remote={} request={}",
                quoted(reason),
                quoted(remote),
                quoted(request));
    }

    /** Logs a change made by an administrator (what the decision allowed, once it happened). */
    public void change(String principal, String what, String remote) {
        log.info("change principal={} what={} remote={}", quoted(principal), quoted(what), quoted(remote));
    }

    static String quoted(String value) {
        if (value == null) {
            return "-";
        }
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c < 0x7f;
        }
        if (plain) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
