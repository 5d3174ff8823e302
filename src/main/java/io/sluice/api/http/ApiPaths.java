package io.sluice.api.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every path of the API with the methods it serves: the routes are built from it, and a request that matches a path
 * but not a method is told 405 with {@code Allow} instead of 404.
 */
final class ApiPaths {

    static final String TOPICS = "/topics";
    static final String TOPIC = "/topics/{topic}";
    static final String PARTITIONS = "/topics/{topic}/partitions";
    static final String PARTITION = "/topics/{topic}/partitions/{partition}";
    static final String OFFSETS = "/topics/{topic}/partitions/{partition}/offsets";
    static final String RECORDS = "/topics/{topic}/partitions/{partition}/records";
    static final String OPENAPI = "/openapi.yaml";

    static final String CONSUMERS = "/consumers";
    static final String CONSUMER_GROUP = "/consumers/{group}";
    static final String GROUP_OFFSETS_RESET = "/consumers/{group}/offsets/reset";
    static final String INSTANCE = "/consumers/{group}/instances/{instance}";
    static final String SUBSCRIPTION = INSTANCE + "/subscription";
    static final String ASSIGNMENTS = INSTANCE + "/assignments";
    static final String POSITIONS = INSTANCE + "/positions";
    static final String POSITIONS_BEGINNING = POSITIONS + "/beginning";
    static final String POSITIONS_END = POSITIONS + "/end";
    static final String POSITIONS_TIMESTAMP = POSITIONS + "/timestamp";
    static final String CONSUMER_RECORDS = INSTANCE + "/records";
    static final String CONSUMER_OFFSETS = INSTANCE + "/offsets";

    private static final Map<PathPattern, Set<HttpMethod>> METHODS = new LinkedHashMap<>();

    static {
        add(TOPICS, HttpMethod.GET, HttpMethod.POST);
        add(TOPIC, HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE);
        add(PARTITIONS, HttpMethod.GET);
        add(PARTITION, HttpMethod.GET, HttpMethod.POST);
        add(OFFSETS, HttpMethod.GET);
        add(RECORDS, HttpMethod.GET);
        add(OPENAPI, HttpMethod.GET);
        add(CONSUMERS, HttpMethod.GET);
        add(CONSUMER_GROUP, HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);
        add(GROUP_OFFSETS_RESET, HttpMethod.POST);
        add(INSTANCE, HttpMethod.GET, HttpMethod.DELETE);
        add(SUBSCRIPTION, HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);
        add(ASSIGNMENTS, HttpMethod.GET, HttpMethod.POST);
        add(POSITIONS, HttpMethod.GET, HttpMethod.POST);
        add(POSITIONS_BEGINNING, HttpMethod.POST);
        add(POSITIONS_END, HttpMethod.POST);
        add(POSITIONS_TIMESTAMP, HttpMethod.POST);
        add(CONSUMER_RECORDS, HttpMethod.GET);
        add(CONSUMER_OFFSETS, HttpMethod.GET, HttpMethod.POST);
        add(SecurityApi.WHOAMI, HttpMethod.GET);
        add(SecurityApi.PRINCIPALS, HttpMethod.GET, HttpMethod.POST);
        add(SecurityApi.PRINCIPAL, HttpMethod.GET, HttpMethod.DELETE);
        add(SecurityApi.KEYS, HttpMethod.POST);
        add(SecurityApi.KEY, HttpMethod.DELETE);
        add(SecurityApi.ACLS, HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);
    }

    private ApiPaths() {}

    /** The methods served at this path, if it is an API path. */
    static Optional<Set<HttpMethod>> methodsAt(String path) {
        PathContainer container = PathContainer.parsePath(path);
        return METHODS.entrySet().stream()
                .filter(entry -> entry.getKey().matches(container))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static void add(String pattern, HttpMethod... methods) {
        METHODS.put(PathPatternParser.defaultInstance.parse(pattern), Set.of(methods));
    }
}
