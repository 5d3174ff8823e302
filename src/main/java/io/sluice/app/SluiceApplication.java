package io.sluice.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts Sluice: one process serving the HTTP API over the local log. */
@SpringBootApplication(scanBasePackages = "io.sluice")
public class SluiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SluiceApplication.class, args);
    }
}
