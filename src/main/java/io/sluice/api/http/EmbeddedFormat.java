package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * How record keys, values and header values are written inside JSON bodies. {@code JSON}: any JSON value, stored as
 * its compact UTF-8 JSON text (Confluent's json format). {@code BINARY}: base64 strings of the raw bytes. {@code
 * TEXT}: strings stored as UTF-8 (so a key hashes like a Kafka client's StringSerializer). Header values are base64
 * in {@code BINARY} and UTF-8 strings otherwise. Stateless, thread-safe.
 */
enum EmbeddedFormat {
    JSON(MediaType.APPLICATION_JSON),
    BINARY(SluiceMediaTypes.KAFKA_BINARY),
    TEXT(SluiceMediaTypes.SLUICE_TEXT);

    private final MediaType mediaType;

    EmbeddedFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    MediaType mediaType() {
        return mediaType;
    }

    /** The format a request body of this content type uses, if it is one of the record JSON types. */
    static Optional<EmbeddedFormat> ofContentType(MediaType contentType) {
        if (contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
                || contentType.isCompatibleWith(SluiceMediaTypes.KAFKA_JSON)
                || contentType.isCompatibleWith(SluiceMediaTypes.KAFKA_V2)) {
            return Optional.of(JSON);
        }
        if (contentType.isCompatibleWith(SluiceMediaTypes.KAFKA_BINARY)) {
            return Optional.of(BINARY);
        }
        if (contentType.isCompatibleWith(SluiceMediaTypes.SLUICE_TEXT)) {
            return Optional.of(TEXT);
        }
        return Optional.empty();
    }

    /** The bytes to store for a key or value node (null/missing = absent). */
    byte[] toBytes(JsonNode node, String field, ObjectMapper mapper) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return switch (this) {
            case JSON -> mapper.writeValueAsBytes(node);
            case BINARY -> base64(requireString(node, field), field);
            case TEXT -> requireString(node, field).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A header value as stored. */
    byte[] headerToBytes(JsonNode node, String field) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        String text = requireString(node, field);
        return this == BINARY ? base64(text, field) : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Stored bytes as a JSON node; 406 naming the offset when they cannot be shown in this format. */
    JsonNode toNode(byte[] bytes, long offset, String what, ObjectMapper mapper) {
        if (bytes == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return switch (this) {
            case JSON -> parseJson(bytes, offset, what, mapper);
            case BINARY ->
                JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(bytes));
            case TEXT -> JsonNodeFactory.instance.stringNode(utf8(bytes, offset, what));
        };
    }

    /** A stored header value as a JSON node. */
    JsonNode headerToNode(byte[] bytes, long offset) {
        if (bytes == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        String text = this == BINARY ? Base64.getEncoder().encodeToString(bytes) : utf8(bytes, offset, "a header");
        return JsonNodeFactory.instance.stringNode(text);
    }

    private JsonNode parseJson(byte[] bytes, long offset, String what, ObjectMapper mapper) {
        try {
            JsonNode node = bytes.length == 0 ? null : mapper.readTree(bytes);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (JacksonException e) {
            // reported below with the offset
        }
        throw notShowable(offset, what, "is not JSON");
    }

    private static String utf8(byte[] bytes, long offset, String what) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw notShowable(offset, what, "is not UTF-8 text");
        }
    }

    static SluiceException notShowable(long offset, String what, String problem) {
        return new SluiceException(
                ErrorCode.NOT_ACCEPTABLE,
                "the " + what + " of the record at offset " + offset + " " + problem + "; ask for "
                        + SluiceMediaTypes.KAFKA_BINARY + " to read it as base64");
    }

    private static String requireString(JsonNode node, String field) {
        if (!node.isString()) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, field + " must be a string in this format");
        }
        return node.stringValue();
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, field + " is not valid base64: " + e.getMessage());
        }
    }
}
