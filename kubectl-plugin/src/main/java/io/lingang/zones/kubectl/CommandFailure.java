package io.lingang.zones.kubectl;

/** A question the cluster could not answer (not found, forbidden, unreachable): exit code 2. */
final class CommandFailure extends RuntimeException {
  CommandFailure(String message) {
    super(message);
  }
}
