package io.lingang.zones.bench;

import java.nio.file.Path;

/**
 * One run: N tenants in a zone layout, provisioned by the operator or by the raw client, on a fresh
 * control plane.
 *
 * @param who "operator" or "raw"
 * @param ready tenants that reached Ready=True (all of them unless the run timed out)
 * @param seconds from the first ZoneTenant create to the last tenant seen Ready=True
 * @param latency each tenant's create (returned) to Ready=True (seen by the watch)
 * @param cost CPU and API requests from the first create to the last Ready; {@code client} is the
 *     operator process, or the raw client's
 * @param requests API requests from the first create until the client was done: for the raw client
 *     its last request, for the operator the moment its reconcile counter had stood still for 5 s
 *     (its last events and the quota usage it reports come after the last Ready)
 * @param settleSeconds for the operator, from the last Ready until it stood still (-1 for raw)
 * @param peakRssKib the client's VmHWM at the end of the run
 * @param endRssKib the client's VmRSS at the end of the run
 * @param selfCounted what the client counted itself: every request of the raw client; the writes
 *     the operator sent (its {@code lingang_api_requests_total}), or -1 when it has no such counter
 * @param selfReads the GETs and LISTs the client counted itself (0 for the raw client, which reads
 *     before the clock starts; -1 for an operator without the counter)
 * @param loadBefore the machine's 1-minute load average when the run started
 * @param loadAfter the same when it ended
 * @param probeBefore {@link SpeedProbe} milliseconds just before the clock started (lower: faster)
 * @param probeAfter the same after the run, once the control plane had gone quiet
 * @param log the operator's log, or null
 */
record RunResult(
    String who,
    int tenants,
    int zones,
    int ready,
    double seconds,
    Latencies latency,
    Usage cost,
    ServerRequests requests,
    double settleSeconds,
    long peakRssKib,
    long endRssKib,
    long selfCounted,
    long selfReads,
    double loadBefore,
    double loadAfter,
    double probeBefore,
    double probeAfter,
    Path log) {

  boolean complete() {
    return ready == tenants;
  }

  /** CPU seconds of every process of the run's side: the client, the API server, etcd and the controller manager. */
  double cpuTotal() {
    return cost.client() + cost.apiserver() + cost.etcd() + cost.controllerManager();
  }

  /** Writes to the operator's kinds seen by the API server, including the N ZoneTenant creates. */
  long writes() {
    return requests.operatorKindWrites();
  }
}
