package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.record.Header;
import io.sluice.stream.StreamRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How streams (WebSocket, SSE, NDJSON follow) render a record as JSON: {@code topic, partition, offset, timestamp,
 * key, value, headers}. Unlike a one-shot read, a stream cannot refuse a record halfway, so rendering never fails:
 * {@code JSON} parses the bytes as JSON and falls back to a string of their text (invalid UTF-8 replaced) when they are
 * not JSON; {@code TEXT} gives UTF-8 strings; {@code BINARY} gives base64. Header values are base64 in {@code BINARY}
 * and text otherwise, as in the HTTP API. Stateless, thread-safe.
 */
public enum StreamFormat {
    JSON,
    TEXT,
    BINARY;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {@code json} (default when null), {@code text} or {@code binary}; anything else is INVALID_VALUE. */
    public static StreamFormat parse(String name) {
        if (name == null || name.isEmpty()) {
            return JSON;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "format must be json, text or binary, got '" + name + "'");
        }
    }

    public ObjectNode toJson(StreamRecord record, ObjectMapper mapper) {
        ObjectNode node = NODES.objectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        node.set("key", render(record.key(), mapper));
        node.set("value", render(record.value(), mapper));
        ArrayNode headers = node.putArray("headers");
        for (Header header : record.headers()) {
            ObjectNode h = headers.addObject();
            h.put("key", header.key());
            h.set("value", header.value() == null ? NODES.nullNode() : NODES.stringNode(headerText(header.value())));
        }
        return node;
    }

    /** Bytes to store for a key or value given in a produce frame (null/missing = absent). */
    public byte[] toBytes(JsonNode node, String field, ObjectMapper mapper) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (this == JSON) {
            return mapper.writeValueAsBytes(node);
        }
        if (!node.isString()) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, field + " must be a string in format " + this);
        }
        return this == TEXT ? node.stringValue().getBytes(StandardCharsets.UTF_8) : base64(node.stringValue(), field);
    }

    /** A header value given in a produce frame. */
    public byte[] headerBytes(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String text = node.isString() ? node.stringValue() : node.toString();
        return this == BINARY ? base64(text, "header value") : text.getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode render(byte[] bytes, ObjectMapper mapper) {
        if (bytes == null) {
            return NODES.nullNode();
        }
        if (this == BINARY) {
            return NODES.stringNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (this == JSON && bytes.length > 0) {
            try {
                JsonNode parsed = mapper.readTree(bytes);
                if (parsed != null && !parsed.isMissingNode()) {
                    return parsed;
                }
            } catch (JacksonException e) {
                // not JSON: shown as text below
            }
        }
        return NODES.stringNode(lenientUtf8(bytes));
    }

    private String headerText(byte[] bytes) {
        return this == BINARY ? Base64.getEncoder().encodeToString(bytes) : lenientUtf8(bytes);
    }

    private static String lenientUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("cannot happen with REPLACE", e);
        }
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, field + " is not valid base64");
        }
    }
}
