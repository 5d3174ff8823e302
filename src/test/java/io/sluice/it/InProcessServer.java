package io.sluice.it;

import io.sluice.app.SluiceApplication;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A real server in this JVM on a random port and a given data dir, for tests that stop and start it again. */
final class InProcessServer {

    private InProcessServer() {}

    static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(SluiceApplication.class)
                .run("--server.port=0", "--sluice.data-dir=" + dataDir, "--spring.main.banner-mode=off");
    }

    static ApiClient client(ConfigurableApplicationContext context) {
        return new ApiClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
