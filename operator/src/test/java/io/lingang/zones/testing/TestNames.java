package io.lingang.zones.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Names with a random suffix, so each test works on objects of its own in the shared cluster. */
public final class TestNames {
  private final String suffix;

  private TestNames(String suffix) {
    this.suffix = suffix;
  }

  public static TestNames random() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return new TestNames(s.toString());
  }

  /** {@code base-<suffix>}; short enough to leave room in generated namespace names. */
  public String name(String base) {
    return base + "-" + suffix;
  }
}
