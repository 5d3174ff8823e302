package io.sluice.topic;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.regex.Pattern;

/**
 * Kafka's topic-name rules: 1 to 249 characters from {@code [a-zA-Z0-9._-]}, and neither {@code .} nor {@code ..}
 * (they would name the data directory itself or its parent). The 249 limit leaves room for the {@code -<partition>}
 * suffix of the directory name within a 255-byte file name.
 */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {}

    /** @throws SluiceException {@link ErrorCode#INVALID_VALUE} saying which rule the name breaks */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("topic name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("topic name cannot be '.' or '..'");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid("topic name is " + name.length() + " characters long; the maximum is " + MAX_LENGTH);
        }
        if (!LEGAL.matcher(name).matches()) {
            throw invalid(
                    "topic name '" + name + "' is illegal: only ASCII letters, digits, '.', '_' and '-' are allowed");
        }
    }

    private static SluiceException invalid(String message) {
        return new SluiceException(ErrorCode.INVALID_VALUE, message);
    }
}
