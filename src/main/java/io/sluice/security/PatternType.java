package io.sluice.security;

/** How an ACL's resource name matches: the exact name, or every name starting with it. */
public enum PatternType {
    LITERAL,
    PREFIXED
}
