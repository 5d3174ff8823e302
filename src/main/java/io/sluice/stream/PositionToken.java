package io.sluice.stream;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The position of a stream over several partitions: for each partition the next offset to deliver. Text form (used
 * as SSE event id, WebSocket {@code token} and {@code ?token=}): {@code <partition>:<offset>} pairs in partition
 * order joined by commas, e.g. {@code 0:15,1:7}. Only digits, colons and commas, so it needs no escaping in a header
 * and only the commas in a URL are escapable, never required to be. Immutable.
 */
public record PositionToken(SortedMap<Integer, Long> nextOffsets) {

    private static final int MAX_LENGTH = 64 * 1024;

    public PositionToken {
        nextOffsets = Collections.unmodifiableSortedMap(new TreeMap<>(nextOffsets));
    }

    public static PositionToken of(Map<Integer, Long> nextOffsets) {
        return new PositionToken(new TreeMap<>(nextOffsets));
    }

    /** Parses the text form; throws INVALID_VALUE for anything that is not exactly that form. */
    public static PositionToken parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            throw invalid(text);
        }
        TreeMap<Integer, Long> offsets = new TreeMap<>();
        for (String pair : text.trim().split(",", -1)) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw invalid(text);
            }
            try {
                int partition = Integer.parseInt(pair.substring(0, colon));
                long offset = Long.parseLong(pair.substring(colon + 1));
                if (partition < 0 || offset < 0 || offsets.put(partition, offset) != null) {
                    throw invalid(text);
                }
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
        }
        return new PositionToken(offsets);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        nextOffsets.forEach((partition, offset) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(partition).append(':').append(offset);
        });
        return text.toString();
    }

    private static SluiceException invalid(String text) {
        String shown = text == null ? "null" : text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new SluiceException(
                ErrorCode.INVALID_VALUE, "invalid position token '" + shown + "': expected <partition>:<offset>,...");
    }
}
