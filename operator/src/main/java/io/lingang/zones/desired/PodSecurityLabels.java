package io.lingang.zones.desired;

import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import java.util.Map;

/**
 * Pod Security admission labels of a tenant namespace: the zone's level is enforced, and pods
 * that would not pass {@code restricted} are warned about and audited even in a baseline zone.
 */
public final class PodSecurityLabels {
  public static final String ENFORCE = "pod-security.kubernetes.io/enforce";
  public static final String WARN = "pod-security.kubernetes.io/warn";
  public static final String AUDIT = "pod-security.kubernetes.io/audit";

  private PodSecurityLabels() {}

  public static Map<String, String> of(BusinessZoneSpec.PodSecurity level) {
    String enforced = (level == null ? BusinessZoneSpec.PodSecurity.restricted : level).name();
    return Map.of(ENFORCE, enforced, WARN, "restricted", AUDIT, "restricted");
  }
}
