package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.Locale;

/** Where a position starts when there is no committed offset, or moves when it fell out of the log's range. */
public enum AutoOffsetReset {
    /** The log start offset (oldest record still stored). */
    EARLIEST,
    /** The log end offset (only records produced from now on). */
    LATEST,
    /** Refuse: the client must set a position explicitly. */
    NONE;

    /** Parses Kafka's lower-case names; anything else is an invalid value. */
    public static AutoOffsetReset parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "auto.offset.reset must be earliest, latest or none: " + value);
        }
    }

    /** The lower-case name clients use. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
