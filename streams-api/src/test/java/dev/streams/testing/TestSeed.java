package dev.streams.testing;

/**
 * The seed of a randomised test: the system property {@code streams.test.seed} when set (to replay a
 * failure), else {@link System#nanoTime()}. Every assertion of such a test names the seed as
 * {@code seed=<n>}.
 */
public final class TestSeed {

  /** The system property that fixes the seed. */
  public static final String PROPERTY = "streams.test.seed";

  private TestSeed() {}

  /** @return the seed to use */
  public static long seed() {
    String value = System.getProperty(PROPERTY);
    return value == null || value.isBlank() ? System.nanoTime() : Long.parseLong(value.trim());
  }
}
