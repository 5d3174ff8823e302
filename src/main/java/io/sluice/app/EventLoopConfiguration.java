package io.sluice.app;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP server's event loops: {@link QuietEventLoops} where epoll is available, Reactor Netty's shared loops
 * elsewhere. The resource factory is the one the server (and any WebClient) takes its loops from; Spring Boot's own
 * backs off for it, so its {@code spring.reactor.netty.shutdown-quiet-period} is carried over here. The factory starts
 * the loops with the context and disposes of them after the server has stopped.
 */
@Configuration(proxyBeanMethods = false)
class EventLoopConfiguration {

    @Bean
    ReactorResourceFactory reactorResourceFactory(Environment environment) {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        if (QuietEventLoops.available()) {
            factory.setUseGlobalResources(false);
            factory.setLoopResourcesSupplier(() -> new QuietEventLoops(LoopResources.DEFAULT_IO_WORKER_COUNT));
        }
        Binder.get(environment)
                .bind("spring.reactor.netty.shutdown-quiet-period", Duration.class)
                .ifBound(factory::setShutdownQuietPeriod);
        return factory;
    }
}
