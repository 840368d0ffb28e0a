package io.lingang.zones.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the watch events of this operator's own writes from everyone else's. Such an event often
 * arrives before the write's own response (and then too early for JOSDK, which skips only the
 * events of what its cache was already fed), and would wake the tenant once more for nothing:
 * nearly every object a new tenant gets did.
 *
 * <p>While an object is being written, its events are held back and their versions noted; when the
 * write is done, a noted version later than the one the write made means someone else changed
 * the object meanwhile, and the caller wakes the tenant after all. After the write, the one event
 * of the version it made is dropped when it comes. At most one version per object is kept, and
 * none once the object is gone. Keys name an object (kind, namespace, name).
 */
final class OwnWrites {
  private final Map<String, List<String>> inFlight = new ConcurrentHashMap<>();
  private final Map<String, String> written = new ConcurrentHashMap<>();

  /** A write of {@code key} starts. */
  void begin(String key) {
    inFlight.put(key, new ArrayList<>());
  }

  /** The write of {@code key} made {@code version} (its response). */
  void made(String key, String version) {
    if (version != null) {
      written.put(key, version);
    }
  }

  /**
   * The write of {@code key} is over. True when an event held back meanwhile was of a later
   * version than the write made: someone else's change, which must still wake the tenant.
   */
  boolean end(String key) {
    List<String> held = inFlight.remove(key);
    if (held == null) {
      return false;
    }
    String ours = written.get(key);
    synchronized (held) {
      return held.stream().anyMatch(version -> ours == null || later(version, ours));
    }
  }

  /** Whether an event of {@code key} at {@code version} is of our own write (and so wakes nobody). */
  boolean ours(String key, String version) {
    List<String> held = inFlight.get(key);
    if (held != null) {
      synchronized (held) {
        held.add(version);
      }
      return true;
    }
    return version != null && written.remove(key, version);
  }

  /** {@code key} is gone. */
  void forget(String key) {
    written.remove(key);
  }

  /** Resource versions are etcd revisions: later is larger (when they are not numbers, assume later). */
  private static boolean later(String version, String than) {
    try {
      return Long.parseLong(version) > Long.parseLong(than);
    } catch (NumberFormatException e) {
      return !version.equals(than);
    }
  }
}
