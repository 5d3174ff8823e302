package io.sluice.api.http;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.Operation;
import io.sluice.security.PatternType;
import io.sluice.security.Permission;
import io.sluice.security.PrincipalInfo;
import io.sluice.security.ResourcePattern;
import io.sluice.security.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.web.reactive.function.server.ServerRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON shapes of {@code /security/*}. An ACL request is {@code {"principal", "resource_type", "resource_name",
 * "pattern_type", "operations": [...], "permission"}} and becomes one binding per operation; a binding is answered as
 * {@code {"principal", "resource_type", "resource_name", "pattern_type", "operation", "permission"}}. Enum values are
 * lower case on the wire and accepted in any case. Stateless.
 */
final class SecurityBodies {

    private static final Set<String> ACL_FIELDS =
            Set.of("principal", "resource_type", "resource_name", "pattern_type", "operations", "permission");

    private SecurityBodies() {}

    static List<AclBinding> bindings(JsonNode body) {
        if (!body.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        ConsumerBodies.allowOnly(body, ACL_FIELDS, "the body");
        String principal = requiredText(body, "principal");
        ResourceType type = enumOf(ResourceType.class, requiredText(body, "resource_type"), "resource_type");
        String name = type == ResourceType.CLUSTER
                ? optionalText(body, "resource_name").orElse(ResourceType.CLUSTER_NAME)
                : requiredText(body, "resource_name");
        PatternType patternType = optionalText(body, "pattern_type")
                .map(text -> enumOf(PatternType.class, text, "pattern_type"))
                .orElse(PatternType.LITERAL);
        Permission permission = optionalText(body, "permission")
                .map(text -> enumOf(Permission.class, text, "permission"))
                .orElse(Permission.ALLOW);
        List<Operation> operations = operations(body.get("operations"));
        try {
            ResourcePattern pattern = new ResourcePattern(type, name, patternType);
            List<AclBinding> bindings = new ArrayList<>();
            for (Operation operation : operations) {
                bindings.add(new AclBinding(principal, pattern, operation, permission));
            }
            return bindings;
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, e.getMessage());
        }
    }

    /** The filter of {@code GET|DELETE /security/acls} from its query parameters. */
    static AclFilter filter(ServerRequest request) {
        return new AclFilter(
                param(request, "principal", Function.identity()),
                param(request, "resource_type", text -> enumOf(ResourceType.class, text, "resource_type")),
                param(request, "resource_name", Function.identity()),
                param(request, "pattern_type", text -> enumOf(PatternType.class, text, "pattern_type")),
                param(request, "operation", text -> enumOf(Operation.class, text, "operation")),
                param(request, "permission", text -> enumOf(Permission.class, text, "permission")));
    }

    static ObjectNode bindingJson(AclBinding binding) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("principal", binding.principal())
                .put("resource_type", lower(binding.pattern().type()))
                .put("resource_name", binding.pattern().name())
                .put("pattern_type", lower(binding.pattern().patternType()))
                .put("operation", lower(binding.operation()))
                .put("permission", lower(binding.permission()));
    }

    static ObjectNode principalJson(PrincipalInfo principal) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", principal.name()).put("created_at", principal.createdAt());
        var keys = node.putArray("keys");
        principal.keys().forEach(key -> keys.addObject().put("id", key.id()).put("created_at", key.createdAt()));
        return node;
    }

    static String requiredText(JsonNode body, String field) {
        return optionalText(body, field).orElseThrow(() -> invalid("'" + field + "' is required"));
    }

    private static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            throw invalid("'" + field + "' must be a string");
        }
        return Optional.of(node.stringValue());
    }

    private static List<Operation> operations(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("'operations' must be a non-empty array of read, write, create, delete, describe, alter");
        }
        List<Operation> operations = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isString()) {
                throw invalid("'operations' must hold strings");
            }
            Operation operation = enumOf(Operation.class, entry.stringValue(), "operations");
            if (!operations.contains(operation)) {
                operations.add(operation);
            }
        }
        return operations;
    }

    private static <T> Optional<T> param(ServerRequest request, String name, Function<String, T> parse) {
        return request.queryParam(name).filter(value -> !value.isEmpty()).map(parse);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String text, String field) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E value : type.getEnumConstants()) {
                allowed.add(lower(value));
            }
            throw new SluiceException(
                    ErrorCode.INVALID_VALUE, "'" + field + "' must be one of " + allowed + ", not '" + text + "'");
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static SluiceException invalid(String message) {
        return new SluiceException(ErrorCode.INVALID_REQUEST, message);
    }
}
