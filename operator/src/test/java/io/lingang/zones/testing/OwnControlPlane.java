package io.lingang.zones.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a control plane of its own (in {@code operator/target/<value>}), started
 * before its first test and stopped after its last, for suites in which no other operator may act:
 * leader election, restarts, CRD deletion, the fuzz test. Test methods may take the
 * {@link LocalControlPlane} or its admin {@link io.fabric8.kubernetes.client.KubernetesClient}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OwnControlPlaneExtension.class)
public @interface OwnControlPlane {
  /** The directory under operator/target. */
  String value();

  /** Flags for {@code hack/local-cluster.sh up}, such as {@code --no-placement-plugins}. */
  String[] flags() default {};
}
