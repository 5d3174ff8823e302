package io.sluice.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;

/** Starts Sluice: one process serving the HTTP API over the local log. */
// No generated in-memory user: callers authenticate with API keys or JWTs (SecurityConfiguration).
@SpringBootApplication(scanBasePackages = "io.sluice", exclude = ReactiveUserDetailsServiceAutoConfiguration.class)
@EnableConfigurationProperties(SluiceProperties.class)
public class SluiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SluiceApplication.class, args);
    }
}
