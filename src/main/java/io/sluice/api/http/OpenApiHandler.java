package io.sluice.api.http;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Serves the API contract ({@code openapi.yaml} from the project root, packed into the jar by the build). */
final class OpenApiHandler {

    static final String CLASSPATH_LOCATION = "openapi/openapi.yaml";

    private final Resource contract = new ClassPathResource(CLASSPATH_LOCATION);

    Mono<ServerResponse> get(ServerRequest request) {
        return ServerResponse.ok().contentType(SluiceMediaTypes.YAML).bodyValue(contract);
    }
}
