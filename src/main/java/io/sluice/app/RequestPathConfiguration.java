package io.sluice.app;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;

/**
 * What every request pays before its handler runs, kept small for the data paths (produce, partition and group
 * reads), where a long-poll or a one-record produce is mostly this fixed cost:
 *
 * <ul>
 *   <li>The functional routes are looked up before the actuator's annotated endpoints, whose matching parses the
 *       Accept header against every endpoint and found nothing for a data request.
 *   <li>Data requests get no {@code http.server.requests} observation: starting and stopping it (a timer lookup, a
 *       long-task timer, tags) cost about a tenth of a long-poll's CPU, and the same traffic is already counted per
 *       topic by {@code sluice.records.*}, {@code sluice.produce.latency} and {@code sluice.read.latency}. Other
 *       requests (topic admin, groups, operations) keep the observation.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class RequestPathConfiguration {

    /** Before the actuator's endpoint mappings (-100), after the WebSocket mapping (highest precedence). */
    static final int ROUTES_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Bean
    static BeanPostProcessor routesBeforeActuator() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof RouterFunctionMapping mapping) {
                    mapping.setOrder(ROUTES_ORDER);
                }
                return bean;
            }
        };
    }

    @Bean
    ObservationPredicate noRequestObservationOnDataPaths() {
        return (name, context) ->
                !(context instanceof ServerRequestObservationContext server && isDataRequest(server.getCarrier()));
    }

    /** Produce ({@code POST /topics/...}) and record reads ({@code GET .../records}). */
    static boolean isDataRequest(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        HttpMethod method = request.getMethod();
        if (HttpMethod.GET.equals(method)) {
            return path.endsWith("/records");
        }
        return HttpMethod.POST.equals(method) && path.startsWith("/topics/");
    }
}
