package io.sluice.api.http;

import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.json.JsonMapper;

/** A WebTestClient over routes and filters, with the API's one error handler, without a server. */
final class RouterClients {

    private RouterClients() {}

    static WebTestClient.RouterFunctionSpec bind(RouterFunction<?> routes, WebFilter... filters) {
        return WebTestClient.bindToRouterFunction(routes)
                .webFilter(filters)
                .handlerStrategies(HandlerStrategies.builder()
                        .exceptionHandler(
                                new ApiErrorHandler(JsonMapper.builder().build()))
                        .build());
    }
}
