package io.sluice.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code dataDir} in {@code /actuator/health}: UP while the data directory exists, is writable and has at least
 * {@code sluice.health.min-free-disk} free; details give the path and the space figures.
 */
@Component
class DataDirHealthIndicator extends AbstractHealthIndicator {

    private final Path dataDir;
    private final long minFreeBytes;

    DataDirHealthIndicator(SluiceProperties properties) {
        super("data dir health check failed");
        this.dataDir = properties.getDataDir().toAbsolutePath().normalize();
        this.minFreeBytes = properties.getHealth().getMinFreeDisk().toBytes();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        boolean writable = Files.isDirectory(dataDir) && Files.isWritable(dataDir);
        long free = writable ? Files.getFileStore(dataDir).getUsableSpace() : 0;
        long total = writable ? Files.getFileStore(dataDir).getTotalSpace() : 0;
        (writable && free >= minFreeBytes ? builder.up() : builder.down())
                .withDetail("path", dataDir.toString())
                .withDetail("writable", writable)
                .withDetail("free", free)
                .withDetail("total", total)
                .withDetail("threshold", minFreeBytes);
    }
}
