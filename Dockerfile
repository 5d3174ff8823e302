# syntax=docker/dockerfile:1
# Sluice: build the jar with Maven, run it on a JRE as a non-root user with its data in a volume.
#   docker build -t sluice .
#   docker run -p 8080:8080 -v sluice-data:/data sluice
#   TLS: see README ("Docker"): SERVER_SSL_BUNDLE + SPRING_SSL_BUNDLE_PEM_<NAME>_KEYSTORE_* pointing at mounted files

# ---- build stage -----------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
# Resolve dependencies in their own layer so source changes do not download the world again.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q dependency:go-offline || true
COPY openapi.yaml ./
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q package -DskipTests \
    && cp target/sluice-*.jar /sluice.jar

# ---- runtime stage ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system sluice \
    && useradd --system --gid sluice --home-dir /data --shell /usr/sbin/nologin sluice \
    && mkdir -p /data /app \
    && chown sluice:sluice /data
COPY --from=build /sluice.jar /app/sluice.jar

USER sluice
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# Heap follows the container's memory limit (the JVM is container-aware); leave a quarter for metaspace,
# thread stacks, direct buffers and the page cache the log relies on. The JVM samples its jstat counters once a
# second instead of every 50 ms: a third of an idle server's CPU otherwise. Override with JAVA_OPTS.
ENV SLUICE_DATA_DIR=/data \
    SERVER_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:PerfDataSamplingInterval=1000"

# https when TLS is on (SERVER_SSL_BUNDLE set); -k: the certificate names the public host, not localhost
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD scheme=http; [ -n "$SERVER_SSL_BUNDLE" ] && scheme=https; \
        curl -fsSk "$scheme://localhost:${SERVER_PORT}/actuator/health" > /dev/null || exit 1

# exec: java becomes PID 1 and receives SIGTERM, so the logs are closed cleanly on docker stop.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/sluice.jar \"$@\"", "sluice"]
