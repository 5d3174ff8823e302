package io.sluice.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Starts Sluice: one process serving the HTTP API over the local log. */
@SpringBootApplication(scanBasePackages = "io.sluice")
@EnableConfigurationProperties(SluiceProperties.class)
public class SluiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SluiceApplication.class, args);
    }
}
