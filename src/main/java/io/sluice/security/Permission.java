package io.sluice.security;

/** Whether an ACL grants or forbids. A matching deny always wins over any allow. */
public enum Permission {
    ALLOW,
    DENY
}
