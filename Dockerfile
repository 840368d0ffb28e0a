# The operator image for people with Docker: the same image that the build makes without Docker
# (`hack/images.sh operator`: Jib over the Debian JRE base of `hack/images.sh base`), built in two
# stages: Debian bookworm's openjdk-17-jre-headless, the dependencies, resources and classes in
# /app as Jib lays them out, the same entrypoint, user 10001 and environment.
#   docker build -t lingang-zone-operator:0.1.0-SNAPSHOT .
# The project's machines have no Docker daemon: this file is not built there (see README.md).

# --- build: Maven and a JDK, dependencies cached in their own layer ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY operator/pom.xml operator/
# Maven reads every module the parent pom lists, even with -pl: the plugin's pom must be there too.
COPY kubectl-plugin/pom.xml kubectl-plugin/
RUN mvn -B -q -pl operator -am dependency:go-offline
COPY operator/src operator/src
# The runtime classpath only (compile and runtime scopes), as Jib takes it.
RUN mvn -B -q -pl operator -am package -DskipTests \
 && mvn -B -q -pl operator dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/libs

# --- run: Debian's JRE 17, like the base that hack/images.sh builds with mmdebstrap ---
FROM debian:bookworm-slim
# Slim images leave out man pages, but the JRE's update-alternatives links one into man1.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
# Jib's layers: dependencies, then resources and classes (a code change rebuilds only the last).
COPY --from=build /src/operator/target/libs /app/libs
COPY --from=build /src/operator/target/classes /app/classes
# A numeric user, so that runAsNonRoot can verify it; the chart runs the pod as the same IDs.
USER 10001:10001
# The JVM sizes its heap from the container's memory limit; C1 only: C2 cost more CPU than it saved
# (docs/PERFORMANCE.md). The chart overrides this variable.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/app/classes:/app/libs/*", "io.lingang.zones.LingangZoneOperator"]
