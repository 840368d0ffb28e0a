package io.lingang.zones.api.v1alpha1;

import java.util.List;

/** Node resource names that edge pools account and allocations may ask for. */
public final class EdgeResources {
  public static final List<String> NAMES = List.of("cpu", "memory", "nvidia.com/gpu", "pods", "ephemeral-storage");

  static final String NAMES_CEL = "['cpu', 'memory', 'nvidia.com/gpu', 'pods', 'ephemeral-storage']";
  static final String NAMES_TEXT = "cpu, memory, nvidia.com/gpu, pods, ephemeral-storage";

  private EdgeResources() {}
}
