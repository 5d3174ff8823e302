package io.sluice.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Says, once the server listens, which port serves and where the data lives. */
@Component
class StartupLog implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupLog.class);

    private final SluiceProperties properties;

    StartupLog(SluiceProperties properties) {
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        log.info(
                "Sluice serving HTTP on port {}, data in {}",
                event.getWebServer().getPort(),
                properties.getDataDir().toAbsolutePath().normalize());
    }
}
