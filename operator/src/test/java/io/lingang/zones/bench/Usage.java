package io.lingang.zones.bench;

/**
 * A reading of the meters at one instant: CPU seconds used so far by the control plane's processes
 * and by the client under test (the operator, or the raw client's JVM), and the API server's request
 * counter. Two readings give what a run cost.
 */
record Usage(long nanos, double apiserver, double etcd, double controllerManager, double client, ServerRequests requests) {

  static Usage take(BenchPlane plane, long clientPid) {
    return new Usage(System.nanoTime(),
        ProcStats.cpuSeconds(plane.pid("kube-apiserver")),
        ProcStats.cpuSeconds(plane.pid("etcd")),
        ProcStats.cpuSeconds(plane.pid("kube-controller-manager")),
        ProcStats.cpuSeconds(clientPid),
        ServerRequests.scrape(plane.admin()));
  }

  /** CPU seconds used so far by the control plane's processes together (API server, etcd, controller manager). */
  static double controlPlaneCpuSeconds(BenchPlane plane) {
    return ProcStats.cpuSeconds(plane.pid("kube-apiserver")) + ProcStats.cpuSeconds(plane.pid("etcd"))
        + ProcStats.cpuSeconds(plane.pid("kube-controller-manager"));
  }

  /** What was used from {@code before} to this reading. */
  Usage minus(Usage before) {
    return new Usage(nanos - before.nanos, apiserver - before.apiserver, etcd - before.etcd,
        controllerManager - before.controllerManager, client - before.client, requests.minus(before.requests));
  }

  double seconds() {
    return nanos / 1e9;
  }

  /** The one-minute load average of the machine, which says how much else was running. */
  static double loadAverage() {
    try {
      return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }
}
