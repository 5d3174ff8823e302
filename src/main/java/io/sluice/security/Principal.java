package io.sluice.security;

/**
 * An authenticated identity: a name, the same whether it came from an API key or a JWT claim (one namespace, so one
 * set of ACLs follows a user across REST, WebSocket and SSE). Names are 1-255 printable characters; {@value #ANY} is
 * reserved as the ACL wildcard and is never a caller.
 */
public record Principal(String name) {

    /** In an ACL, matches every authenticated principal. */
    public static final String ANY = "*";

    /** Longest accepted name. */
    public static final int MAX_LENGTH = 255;

    public Principal {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("principal names are 1-255 printable characters, not '*'");
        }
    }

    /** Whether {@code name} may name a principal. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || ANY.equals(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }
}
