# The operator image: the shaded jar on a JRE, run as a non-root user.
#   docker build -t registry.lingang.example/lingang-zone-operator:0.1.0 .
# It is not built in this project's CI (no container runtime there); see README.md.

# --- build: Maven and a JDK, dependencies cached in their own layer ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY operator/pom.xml operator/
# Maven reads every module the parent pom lists, even with -pl: the plugin's pom must be there too.
COPY kubectl-plugin/pom.xml kubectl-plugin/
RUN mvn -B -q -pl operator -am dependency:go-offline
COPY operator/src operator/src
RUN mvn -B -q -pl operator -am package -DskipTests

# --- run: a JRE only ---
FROM eclipse-temurin:17-jre
COPY --from=build /src/operator/target/lingang-zone-operator.jar /opt/lingang/lingang-zone-operator.jar
# A numeric user, so that runAsNonRoot can verify it; the chart runs the pod as the same IDs.
USER 10001:10001
# The JVM sizes its heap from the container's memory limit; the chart overrides this variable.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/lingang/lingang-zone-operator.jar"]
