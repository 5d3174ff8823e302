package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.Locale;

/** How an instance wants keys and values rendered; the coordinator only keeps it so any node can serve reads. */
public enum EmbeddedFormat {
    JSON,
    BINARY,
    TEXT;

    /** Parses {@code json|binary|text}; anything else is an invalid value. */
    public static EmbeddedFormat parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "format must be json, binary or text: " + value);
        }
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
