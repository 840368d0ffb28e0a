package io.lingang.zones.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the shared {@link LocalControlPlane}. Test methods may take a
 * {@link LocalControlPlane}, a {@link io.fabric8.kubernetes.client.KubernetesClient} (admin) and
 * {@link TestNames} (names unique to the test, so tests never see each other's objects) and a
 * {@link RunningOperator}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ControlPlaneExtension.class)
public @interface ControlPlaneTest {}
