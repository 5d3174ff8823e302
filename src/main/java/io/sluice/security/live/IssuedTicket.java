package io.sluice.security.live;

/** A ticket as handed to a client: its text (URL-safe) and when it stops being accepted (epoch millis). */
public record IssuedTicket(String ticket, long expiresAt) {}
