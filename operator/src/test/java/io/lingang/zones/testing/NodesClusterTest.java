package io.lingang.zones.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the shared {@link NodesCluster} (real kubelets, containerd, kube-router).
 * Test methods may take the {@link NodesCluster}, its admin
 * {@link io.fabric8.kubernetes.client.KubernetesClient} and {@link TestNames}. Such classes are
 * named {@code *OnNodesIT} and tagged {@code nodes}: failsafe runs them in a JVM of their own,
 * after the other suites.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("nodes")
@ExtendWith(NodesClusterExtension.class)
public @interface NodesClusterTest {}
