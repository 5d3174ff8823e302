package io.sluice.group.assignor;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The assignors a group may choose, by name. {@value StickyAssignor#NAME} is the default. Immutable, thread-safe. */
public final class Assignors {

    public static final String DEFAULT = StickyAssignor.NAME;

    private static final Map<String, PartitionAssignor> BY_NAME = new TreeMap<>();

    static {
        for (PartitionAssignor a : List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor())) {
            BY_NAME.put(a.name(), a);
        }
    }

    private Assignors() {}

    /** The assignor called {@code name}; {@code null} means the default. Unknown names are an invalid value. */
    public static PartitionAssignor byName(String name) {
        PartitionAssignor assignor = BY_NAME.get(name == null ? DEFAULT : name);
        if (assignor == null) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "unknown assignment strategy '" + name + "', expected one of " + names());
        }
        return assignor;
    }

    /** Every known name, sorted. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
