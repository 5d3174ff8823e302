package io.sluice.api.http;

import java.util.List;
import org.springframework.http.MediaType;

/**
 * The media types of the API: plain JSON (the default), Confluent REST Proxy v2's vendor types, Sluice's text type,
 * NDJSON for streaming produce, octet-stream for raw produce, and Kafka's own record batches for reads.
 */
final class SluiceMediaTypes {

    static final MediaType KAFKA_V2 = MediaType.parseMediaType("application/vnd.kafka.v2+json");
    static final MediaType KAFKA_JSON = MediaType.parseMediaType("application/vnd.kafka.json.v2+json");
    static final MediaType KAFKA_BINARY = MediaType.parseMediaType("application/vnd.kafka.binary.v2+json");
    static final MediaType SLUICE_TEXT = MediaType.parseMediaType("application/vnd.sluice.text.v2+json");
    /** Kafka record batches (v2) as stored, concatenated: the read format for clients that decode them. */
    static final MediaType BATCHES = MediaType.parseMediaType("application/vnd.sluice.batches");

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    /** Response types of non-record answers, most preferred first. */
    static final List<MediaType> JSON_RESPONSES = List.of(MediaType.APPLICATION_JSON, KAFKA_V2);

    private SluiceMediaTypes() {}
}
