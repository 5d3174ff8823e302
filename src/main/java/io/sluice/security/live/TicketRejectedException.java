package io.sluice.security.live;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;

/**
 * A ticket that was not accepted. The {@link Reason} is for logs and audit only: clients get one generic 401 whatever
 * the reason, so a probe learns nothing about which tickets ever existed.
 */
public final class TicketRejectedException extends SluiceException {

    /** Why a ticket was refused. */
    public enum Reason {
        MALFORMED,
        BAD_SIGNATURE,
        EXPIRED,
        ALREADY_USED,
        /** The credential it was issued for was revoked after it was issued. */
        CREDENTIAL_REVOKED
    }

    private final Reason reason;

    public TicketRejectedException(Reason reason) {
        super(ErrorCode.UNAUTHORIZED, "invalid or expired stream ticket");
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
