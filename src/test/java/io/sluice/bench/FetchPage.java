package io.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.InputStream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What a read response held, parsed the way a streaming client would: the number of records, the highest
 * {@code offset}, the total length of the {@code value} strings, and (for latency runs) the send time encoded at
 * the start of each value. Accepts either a top-level array of records or an object whose {@code records} field
 * is that array. Immutable.
 */
record FetchPage(int count, long lastOffset, long valueChars, long[] sendNanos) {

    private static final JsonFactory JSON = new JsonFactory();

    static FetchPage parse(byte[] body, boolean wantSendTimes) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            return parse(parser, wantSendTimes);
        }
    }

    /** As {@link #parse(byte[], boolean)}, streaming from the buffer's readable bytes (which it consumes). */
    static FetchPage parse(ByteBuf body, boolean wantSendTimes) {
        try (JsonParser parser =
                JSON.createParser(ObjectReadContext.empty(), (InputStream) new ByteBufInputStream(body))) {
            return parse(parser, wantSendTimes);
        }
    }

    private static FetchPage parse(JsonParser parser, boolean wantSendTimes) {
        int count = 0;
        long last = -1;
        long chars = 0;
        long[] times = wantSendTimes ? new long[16] : null;
        int depth = 0;
        int recordDepth = -1;
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case PROPERTY_NAME -> {
                    String name = parser.currentName();
                    if ("offset".equals(name) && (recordDepth < 0 || recordDepth == depth)) {
                        parser.nextToken();
                        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                            recordDepth = depth;
                            count++;
                            last = Math.max(last, parser.getLongValue());
                        }
                    } else if ("value".equals(name) && depth == recordDepth) {
                        if (parser.nextToken() == JsonToken.VALUE_STRING) {
                            chars += parser.getStringLength();
                            if (times != null) {
                                times = append(times, count, parser.getString());
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                default -> {}
            }
        }
        long[] sent = times == null ? new long[0] : java.util.Arrays.copyOf(times, count);
        return new FetchPage(count, last, chars, sent);
    }

    /** Values written by the latency workloads start with {@code <nanoTime>:}. */
    private static long[] append(long[] times, int count, String value) {
        long[] grown = count > times.length ? java.util.Arrays.copyOf(times, times.length * 2) : times;
        int colon = value.indexOf(':');
        grown[count - 1] = colon > 0 ? Long.parseLong(value, 0, colon, 10) : -1;
        return grown;
    }
}
