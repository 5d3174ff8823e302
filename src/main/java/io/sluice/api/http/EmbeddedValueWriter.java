package io.sluice.api.http;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.base.ParserBase;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Writes the stored bytes of keys and values that a {@link ProduceBodyReader} meets into its scratch buffer, in their
 * {@link EmbeddedFormat}: JSON values as the compact text the tree would write (plain strings copied from the input as
 * they are, other values re-encoded by a streaming generator, structures and non-plain numbers through the tree),
 * base64 decoded in place, text as UTF-8. Throws {@link LeftToTree} for a token its format does not allow. The
 * generator (about 12 KB of Jackson's buffers) is made only when a value needs it and given back by {@link #release()}.
 * One instance per reader; not thread-safe.
 */
final class EmbeddedValueWriter {

    private final ObjectMapper mapper;
    private final ObjectWriter compact;
    private final ObjectReader subtree;
    private final ByteSink scratch;
    private final Base64Into base64 = new Base64Into();
    private final boolean printableAsIs;
    private JsonGenerator generator;

    // the bytes the current parser reads, for copying plain strings as they are (see rawString)
    private byte[] input;
    private int inputStart;
    private int inputEnd;
    private int rawStringLength;

    /** Writing into {@code scratch}, which the reader owns and resets. */
    EmbeddedValueWriter(ObjectMapper mapper, ByteSink scratch) {
        this.mapper = mapper;
        this.scratch = scratch;
        // closing the generator only returns its buffers: the scratch buffer stays open, and a value cut short by a
        // failure is not completed with closing brackets (the read is left to the tree anyway)
        this.compact = mapper.writer()
                .withRootValueSeparator("")
                .without(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .without(StreamWriteFeature.AUTO_CLOSE_CONTENT);
        // a value inside the body is read as a tree with the parser left on its last token, more tokens following
        this.subtree = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.printableAsIs = writesPrintableAsIs(mapper);
    }

    /** The value the parser stands on, read as a tree; the parser is left on its last token. */
    JsonNode tree(JsonParser parser) {
        return subtree.readTree(parser);
    }

    /**
     * Writes the stored bytes of the key or value the parser stands on ({@code token}) into the scratch buffer;
     * their length, or -1 for null.
     */
    int write(JsonParser parser, JsonToken token, EmbeddedFormat format) {
        if (token == JsonToken.VALUE_NULL) {
            return -1;
        }
        int start = scratch.size();
        switch (format) {
            case JSON -> json(parser, token);
            case BINARY -> {
                requireString(token);
                base64.decode(
                        parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength(), scratch);
            }
            case TEXT -> {
                requireString(token);
                int quote = rawString(parser);
                if (quote >= 0) { // the content between the quotes is its UTF-8
                    scratch.write(input, quote + 1, rawStringLength - 2);
                } else {
                    byte[] utf8 = parser.getString().getBytes(StandardCharsets.UTF_8);
                    scratch.write(utf8, 0, utf8.length);
                }
            }
        }
        return scratch.size() - start;
    }

    /** Compact JSON text of a value, as the tree would write it; structures and non-plain numbers via the tree. */
    private void json(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_STRING) {
            int quote = rawString(parser);
            if (quote >= 0) { // the generator would write these very bytes (it holds none: flushed after each value)
                scratch.write(input, quote, rawStringLength);
                return;
            }
        }
        // made only here: a generator takes about 12 KB of buffers, which plain strings, the common case, do not need
        JsonGenerator out = generator();
        switch (token) {
            case VALUE_STRING ->
                out.writeString(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
            case VALUE_TRUE, VALUE_FALSE -> out.writeBoolean(token == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> {
                switch (parser.getNumberType()) {
                    case INT -> out.writeNumber(parser.getIntValue());
                    case LONG -> out.writeNumber(parser.getLongValue());
                    default -> writeTree(parser);
                }
            }
            default -> writeTree(parser);
        }
        out.flush();
    }

    /** Whether the mapper writes every printable ASCII character but quote and backslash unescaped (the default). */
    private static boolean writesPrintableAsIs(ObjectMapper mapper) {
        StringBuilder printable = new StringBuilder("\"");
        for (char c = 0x20; c < 0x80; c++) {
            if (c != '"' && c != '\\') {
                printable.append(c);
            }
        }
        String quoted = printable.append('"').toString();
        return mapper.writeValueAsString(quoted.substring(1, quoted.length() - 1))
                .equals(quoted);
    }

    /** Names the bytes the next parser reads, {@code data[start, end)}, so that plain strings are copied from them. */
    void input(byte[] data, int start, int end) {
        input = data;
        inputStart = start;
        inputEnd = end;
    }

    /**
     * Where the string token the parser stands on starts in the input (its opening quote), if its text is plain: ASCII
     * without escapes or control characters, so that its bytes, quotes included, are exactly what the generator would
     * write for it and their content exactly its UTF-8. Sets {@link #rawStringLength}; -1 if not plain. The parser has
     * not decoded the string (Jackson decodes lazily) and skips it when asked for the next token, so a plain string's
     * bytes are copied once instead of decoded to chars and encoded back.
     */
    private int rawString(JsonParser parser) {
        if (!printableAsIs || !(parser instanceof ParserBase base)) {
            return -1;
        }
        // Jackson notes a string value's position one past its opening quote; checked, not trusted
        long quote = inputStart + base.getTokenCharacterOffset() - 1;
        if (quote < inputStart || quote >= inputEnd || input[(int) quote] != '"') {
            return -1;
        }
        int end = ByteScan.indexOfStringSpecial(input, (int) quote + 1, inputEnd);
        if (end < 0 || input[end] != '"') {
            return -1;
        }
        rawStringLength = end + 1 - (int) quote;
        return (int) quote;
    }

    private void writeTree(JsonParser parser) {
        generator().flush();
        JsonNode node = subtree.readTree(parser);
        byte[] bytes = mapper.writeValueAsBytes(node);
        scratch.write(bytes, 0, bytes.length);
    }

    private JsonGenerator generator() {
        if (generator == null) {
            generator = compact.createGenerator(scratch);
        }
        return generator;
    }

    /**
     * Returns the generator's buffers (about 12 KB) to Jackson's pool at the end of each read: a reader lives as long
     * as its request or stream, and an unclosed generator's buffers are left to the collector.
     */
    void release() {
        if (generator != null) {
            JsonGenerator done = generator;
            generator = null;
            done.close();
        }
    }

    private static void requireString(JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            throw LeftToTree.INSTANCE;
        }
    }
}
